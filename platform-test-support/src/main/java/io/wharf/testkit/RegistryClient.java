package io.wharf.testkit;

import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one HTTP client of the tests, for {@code /v2}, {@code /service/token} and the Harbor-shaped
 * {@code /api/v2.0}. A client is immutable: {@link #as(Credentials)}, {@link #withTokenFlow()} and the other
 * {@code with...} methods return copies that share the connection pool and the token cache.
 *
 * <ul>
 *   <li>Authentication: with {@link Credentials} a request sends them as the {@code Authorization} header (unless
 *       it sets its own); anonymous sends none. With {@link #withTokenFlow()} a request goes out without
 *       credentials and a 401 is answered as the Docker client does: a {@code Bearer realm=..,service=..,scope=..}
 *       challenge gets a token from the realm (asked with the Basic credentials), which is cached per scope, and
 *       the request is retried once; a {@code Basic} challenge is retried with the credentials.</li>
 *   <li>Raw requests: {@link #request(String, String)} builds anything, including bad input (any method, headers,
 *       body); paths may be templates with {@code <name>}, {@code <reference>} and {@code <digest>}, and query
 *       parameters are appended, sorted and Go-escaped, to any query the path already has (so state a registry
 *       keeps in its {@code Location} query survives). {@code Content-Length} comes from the body, and GET/HEAD
 *       never carry one.</li>
 *   <li>Registry steps: blob uploads (monolithic, chunked, streamed), mounts, manifests, tags, catalog,
 *       referrers; {@link #push(String, String, TestImage)} for whole images.</li>
 *   <li>The identity API: users, projects, members, robots.</li>
 * </ul>
 */
public final class RegistryClient {

    /** The {@code service} of Wharf's token endpoint. */
    public static final String SERVICE = "wharf";

    private static final Pattern CHALLENGE_PARAM = Pattern.compile("([a-zA-Z]+)=\"(.*?)\"");

    private final Settings settings;
    private final Credentials credentials;

    private record Settings(HttpClient http, String root, String defaultName, boolean tokenFlow, String tokenScope,
                            String userAgent, Consumer<Response> listener, Map<String, String> tokens) {
    }

    private RegistryClient(Settings settings, Credentials credentials) {
        this.settings = settings;
        this.credentials = credentials;
    }

    /** An anonymous client of the registry listening on {@code 127.0.0.1:port}. */
    public static RegistryClient forPort(int port) {
        return forUrl("http://127.0.0.1:" + port);
    }

    /** An anonymous client of the registry at {@code root} (scheme, host and port, e.g. {@code http://host:5000}). */
    public static RegistryClient forUrl(String root) {
        return new RegistryClient(new Settings(httpClient(HttpClient.Redirect.NEVER),
            root.endsWith("/") ? root.substring(0, root.length() - 1) : root, "", false, "", null, null,
            new ConcurrentHashMap<>()), Credentials.NONE);
    }

    private static HttpClient httpClient(HttpClient.Redirect redirect) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(redirect)
            .connectTimeout(Duration.ofSeconds(30)).build();
    }

    // ---- copies --------------------------------------------------------------------------------

    /** The same registry, authenticating with {@code credentials} ({@link Credentials#NONE}: anonymous). */
    public RegistryClient as(Credentials credentials) {
        return new RegistryClient(settings, credentials);
    }

    /** The same registry, as the admin (Basic). */
    public RegistryClient asAdmin() {
        return as(Credentials.admin());
    }

    /** The same registry, with other Basic credentials. */
    public RegistryClient withBasic(String username, String password) {
        return as(Credentials.basic(username, password));
    }

    /** The same registry, without credentials. */
    public RegistryClient anonymous() {
        return as(Credentials.NONE);
    }

    /**
     * The same registry, authenticating as the Docker client does: requests go out without credentials and a
     * challenge is answered (a Bearer token fetched from its realm with these credentials, or Basic), then retried.
     */
    public RegistryClient withTokenFlow() {
        return with(new Settings(settings.http, settings.root, settings.defaultName, true, settings.tokenScope,
            settings.userAgent, settings.listener, settings.tokens));
    }

    /** The same, asking the token endpoint for {@code scope} instead of the challenge's scope (when not empty). */
    public RegistryClient withTokenScope(String scope) {
        return with(new Settings(settings.http, settings.root, settings.defaultName, settings.tokenFlow,
            scope == null ? "" : scope, settings.userAgent, settings.listener, settings.tokens));
    }

    /** The same, filling {@code <name>} in path templates with {@code name} when a request sets none. */
    public RegistryClient withDefaultName(String name) {
        return with(new Settings(settings.http, settings.root, name, settings.tokenFlow, settings.tokenScope,
            settings.userAgent, settings.listener, settings.tokens));
    }

    /** The same, sending {@code User-Agent: userAgent}. */
    public RegistryClient withUserAgent(String userAgent) {
        return with(new Settings(settings.http, settings.root, settings.defaultName, settings.tokenFlow,
            settings.tokenScope, userAgent, settings.listener, settings.tokens));
    }

    /** The same, following redirects (by default a 3xx is returned as it is). */
    public RegistryClient followingRedirects() {
        return with(new Settings(httpClient(HttpClient.Redirect.ALWAYS), settings.root, settings.defaultName,
            settings.tokenFlow, settings.tokenScope, settings.userAgent, settings.listener, settings.tokens));
    }

    /** The same, handing every final response (after any token retry) to {@code listener}, e.g. for a transcript. */
    public RegistryClient onExchange(Consumer<Response> listener) {
        return with(new Settings(settings.http, settings.root, settings.defaultName, settings.tokenFlow,
            settings.tokenScope, settings.userAgent, listener, settings.tokens));
    }

    private RegistryClient with(Settings changed) {
        return new RegistryClient(changed, credentials);
    }

    /** The registry root, e.g. {@code http://127.0.0.1:40123}. */
    public String base() {
        return settings.root;
    }

    /** {@code host:port}, the registry as clients (docker, skopeo) name it. */
    public String host() {
        return URI.create(settings.root).getAuthority();
    }

    /** The name that fills {@code <name>} in path templates when a request sets none. */
    public String defaultName() {
        return settings.defaultName;
    }

    /** The credentials this client sends. */
    public Credentials credentials() {
        return credentials;
    }

    // ---- raw requests --------------------------------------------------------------------------

    /** A request to build and {@link Request#send() send}; {@code path} may be absolute or a template. */
    public Request request(String method, String path) {
        return new Request(method, path);
    }

    /** Sends {@code body} (null: none) with alternating header names and values. */
    public Response send(String method, String path, byte[] body, String... headers) {
        return request(method, path).body(body).headers(headers).send();
    }

    /** Sends {@code body} (null: none) with {@code headers}. */
    public Response send(String method, String path, byte[] body, Map<String, String> headers) {
        Request request = request(method, path).body(body);
        headers.forEach(request::header);
        return request.send();
    }

    /** Sends a request without body. */
    public Response send(String method, String path) {
        return request(method, path).send();
    }

    /** {@code GET path} with alternating header names and values. */
    public Response get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    /** {@code HEAD path} with alternating header names and values. */
    public Response head(String path, String... headers) {
        return send("HEAD", path, null, headers);
    }

    /** {@code DELETE path}. */
    public Response delete(String path) {
        return send("DELETE", path);
    }

    /** {@code POST path} with a JSON body: a String is sent as it is, anything else serialised (null: no body). */
    public Response post(String path, Object json) {
        return json("POST", path, json);
    }

    /** {@code PUT path} with a JSON body (see {@link #post}). */
    public Response put(String path, Object json) {
        return json("PUT", path, json);
    }

    /** {@code PATCH path} with a JSON body (see {@link #post}). */
    public Response patch(String path, Object json) {
        return json("PATCH", path, json);
    }

    /** {@code method path} with a JSON body (see {@link #post}) and {@code Content-Type: application/json}. */
    public Response json(String method, String path, Object json) {
        return request(method, path).json(json).send();
    }

    /** {@code POST path} with an {@code application/x-www-form-urlencoded} body of {@code fields}. */
    public Response form(String path, Map<String, String> fields) {
        StringJoiner form = new StringJoiner("&");
        fields.forEach((k, v) -> form.add(encode(k) + "=" + encode(v)));
        return send("POST", path, form.toString().getBytes(StandardCharsets.UTF_8),
            "Content-Type", "application/x-www-form-urlencoded");
    }

    /**
     * A GET over a plain socket with a chosen {@code Host} header (which {@link HttpClient} will not send), without
     * credentials; returns the status line and headers.
     */
    public String rawGet(String path, String hostHeader) {
        URI root = URI.create(settings.root);
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? text : text.substring(0, end);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- tokens --------------------------------------------------------------------------------

    /** {@code GET /service/token?service=wharf&scope=...} with this client's credentials, as the Docker client asks. */
    public Response token(String... scopes) {
        StringBuilder path = new StringBuilder("/service/token?service=" + SERVICE);
        for (String scope : scopes) {
            path.append("&scope=").append(encode(scope));
        }
        return get(path.toString());
    }

    /** A registry token for {@code scopes}; fails unless the token endpoint answers 200. */
    public String tokenFor(String... scopes) {
        return token(scopes).expect(200).json().path("token").asString();
    }

    /** The decoded payload of a JWT (not verified). */
    public static JsonNode jwtPayload(String jwt) {
        return Response.JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    /** The decoded header of a JWT (not verified). */
    public static JsonNode jwtHeader(String jwt) {
        return Response.JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
    }

    /** The actions a registry token's {@code access} claim grants on {@code type}/{@code name}. */
    public static Set<String> granted(String jwt, String type, String name) {
        Set<String> actions = new LinkedHashSet<>();
        for (JsonNode entry : jwtPayload(jwt).path("access")) {
            if (type.equals(entry.path("type").asString()) && name.equals(entry.path("name").asString())) {
                entry.path("actions").forEach(a -> actions.add(a.asString()));
            }
        }
        return actions;
    }

    // ---- blobs ---------------------------------------------------------------------------------

    /** {@code POST /v2/<repository>/blobs/uploads/}: opens an upload session. */
    public Response startUpload(String repository) {
        return send("POST", "/v2/" + repository + "/blobs/uploads/");
    }

    /** Pushes a blob monolithically (POST, then PUT with the content); fails unless both work; returns its digest. */
    public String pushBlob(String repository, byte[] content) {
        Response failed = tryPushBlob(repository, content);
        if (failed != null) {
            throw new AssertionError("blob upload failed: " + failed);
        }
        return TestImage.sha256(content);
    }

    /** Pushes a blob monolithically; returns null when it worked, else the first response that failed. */
    public Response tryPushBlob(String repository, byte[] content) {
        Response post = startUpload(repository);
        if (post.status() != 202) {
            return post;
        }
        Response put = send("PUT", withQuery(post.headerValue("Location"), "digest=" + TestImage.sha256(content)),
            content, "Content-Type", "application/octet-stream");
        return put.status() == 201 ? null : put;
    }

    /**
     * Pushes a blob in PATCH chunks of {@code chunkSize} bytes (each with its {@code Content-Range}), then a
     * closing PUT without body; fails unless every step works; returns the digest.
     */
    public String pushBlobChunked(String repository, byte[] content, int chunkSize) {
        String location = startUpload(repository).expect(202).headerValue("Location");
        for (int offset = 0; offset < content.length; offset += chunkSize) {
            byte[] chunk = Arrays.copyOfRange(content, offset, Math.min(content.length, offset + chunkSize));
            location = send("PATCH", location, chunk, "Content-Type", "application/octet-stream",
                "Content-Range", offset + "-" + (offset + chunk.length - 1)).expect(202).headerValue("Location");
        }
        String digest = TestImage.sha256(content);
        send("PUT", withQuery(location, "digest=" + digest)).expect(201);
        return digest;
    }

    /**
     * Pushes a blob as one streamed PATCH (no {@code Content-Length}, the content never held in memory), then a
     * closing PUT with the digest computed while streaming; fails unless every step works; returns the digest.
     */
    public String pushBlobStreamed(String repository, Supplier<InputStream> content) {
        String location = startUpload(repository).expect(202).headerValue("Location");
        MessageDigest sha = TestImage.newSha256();
        Response patch = request("PATCH", location).header("Content-Type", "application/octet-stream")
            .stream(() -> new java.security.DigestInputStream(content.get(), sha)).send().expect(202);
        String digest = "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
        send("PUT", withQuery(patch.headerValue("Location"), "digest=" + digest)).expect(201);
        return digest;
    }

    /** {@code POST /v2/<repository>/blobs/uploads/?mount=<digest>&from=<from>}: a cross-repository mount. */
    public Response mountBlob(String repository, String digest, String from) {
        return send("POST", "/v2/" + repository + "/blobs/uploads/?mount=" + digest + "&from=" + from);
    }

    /** {@code GET /v2/<repository>/blobs/<digest>}. */
    public Response getBlob(String repository, String digest) {
        return get("/v2/" + repository + "/blobs/" + digest);
    }

    // ---- manifests -----------------------------------------------------------------------------

    /** {@code PUT /v2/<repository>/manifests/<reference>} with {@code Content-Type: mediaType}. */
    public Response putManifest(String repository, String reference, String mediaType, byte[] manifest) {
        return send("PUT", "/v2/" + repository + "/manifests/" + reference, manifest, "Content-Type", mediaType);
    }

    /** Pushes a manifest under {@code reference}; fails unless it is created; returns its digest. */
    public String pushManifest(String repository, String reference, String mediaType, byte[] manifest) {
        Response put = putManifest(repository, reference, mediaType, manifest);
        if (put.status() != 201) {
            throw new AssertionError("manifest push failed: " + put);
        }
        return TestImage.sha256(manifest);
    }

    /** Pushes a manifest given as text (UTF-8); see {@link #pushManifest(String, String, String, byte[])}. */
    public String pushManifest(String repository, String reference, String mediaType, String manifest) {
        return pushManifest(repository, reference, mediaType, manifest.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code GET /v2/<repository>/manifests/<reference>} accepting {@code accept} (default: every manifest type). */
    public Response getManifest(String repository, String reference, String... accept) {
        return get("/v2/" + repository + "/manifests/" + reference, "Accept", accept(accept));
    }

    /** {@code HEAD /v2/<repository>/manifests/<reference>} accepting {@code accept} (default: every type). */
    public Response headManifest(String repository, String reference, String... accept) {
        return head("/v2/" + repository + "/manifests/" + reference, "Accept", accept(accept));
    }

    /** {@code DELETE /v2/<repository>/manifests/<reference>}. */
    public Response deleteManifest(String repository, String reference) {
        return delete("/v2/" + repository + "/manifests/" + reference);
    }

    private static String accept(String... types) {
        return types.length > 0 ? String.join(", ", types) : String.join(", ", TestImage.OCI_MANIFEST,
            TestImage.DOCKER_MANIFEST, TestImage.OCI_INDEX, TestImage.DOCKER_MANIFEST_LIST);
    }

    /** The outcome of a push: the manifest digest, and the first response that failed or else the manifest PUT's. */
    public record Push(Response response, String digest) {

        /** Whether every step worked (the manifest PUT answered 201). */
        public boolean ok() {
            return response.status() == 201;
        }
    }

    /** Pushes every blob of {@code image} and then its manifest under {@code tag}; stops at the first failure. */
    public Push tryPush(String repository, String tag, TestImage image) {
        for (byte[] blob : image.blobs()) {
            Response failed = tryPushBlob(repository, blob);
            if (failed != null) {
                return new Push(failed, null);
            }
        }
        return new Push(putManifest(repository, tag, image.manifestType(), image.manifest()), image.manifestDigest());
    }

    /** Pushes {@code image} to {@code repository:tag}; fails unless every step works; returns the manifest digest. */
    public String push(String repository, String tag, TestImage image) {
        Push push = tryPush(repository, tag, image);
        if (!push.ok()) {
            throw new AssertionError("push of " + repository + ":" + tag + " failed: " + push.response());
        }
        return push.digest();
    }

    /** Pushes {@link TestImage#simple(String) the small image of seed} to {@code repository:tag}; returns it. */
    public TestImage pushImage(String repository, String tag, String seed) {
        TestImage image = TestImage.simple(seed);
        push(repository, tag, image);
        return image;
    }

    // ---- listings ------------------------------------------------------------------------------

    /** {@code GET /v2/<repository>/tags/list}. */
    public Response tags(String repository) {
        return get("/v2/" + repository + "/tags/list");
    }

    /** {@code GET /v2/_catalog}. */
    public Response catalog() {
        return get("/v2/_catalog");
    }

    /** The repositories {@code /v2/_catalog} shows this client; fails unless it answers 200. */
    public List<String> catalogNames() {
        List<String> names = new ArrayList<>();
        catalog().expect(200).json().path("repositories").forEach(n -> names.add(n.asString()));
        return names;
    }

    /** {@code GET /v2/<repository>/referrers/<digest>}, filtered by {@code artifactType} when not null. */
    public Response referrers(String repository, String digest, String artifactType) {
        return get("/v2/" + repository + "/referrers/" + digest
            + (artifactType == null ? "" : "?artifactType=" + encode(artifactType)));
    }

    // ---- the identity API (/api/v2.0) ----------------------------------------------------------

    /** Creates a user with {@code password} (email {@code <username>@example.test}); fails unless 201; returns its id. */
    public long createUser(String username, String password) {
        return idFromLocation(post("/api/v2.0/users", Map.of("username", username, "password", password,
            "email", username + "@example.test", "realname", username)).expect(201));
    }

    /** Creates a project (this client becomes its Project Admin); fails unless 201; returns its id. */
    public long createProject(String name, boolean isPublic) {
        return idFromLocation(post("/api/v2.0/projects",
            Map.of("project_name", name, "metadata", Map.of("public", String.valueOf(isPublic)))).expect(201));
    }

    /** Adds {@code username} to {@code project} with {@code roleId}; fails unless 201; returns the member id. */
    public long addMember(String project, String username, int roleId) {
        return idFromLocation(post("/api/v2.0/projects/" + project + "/members",
            Map.of("role_id", roleId, "member_user", Map.of("username", username))).expect(201));
    }

    /** The id of project {@code name}; fails unless found. */
    public long projectId(String name) {
        return get("/api/v2.0/projects/" + name).expect(200).json().path("project_id").asLong();
    }

    /** A robot account's full name and secret. */
    public record Robot(String name, String secret) {
    }

    /** Creates a never-expiring project robot allowed to push and pull in {@code project}; fails unless 201. */
    public Robot createRobot(String project, String name) {
        JsonNode body = post("/api/v2.0/robots", "{\"name\":\"" + name
            + "\",\"level\":\"project\",\"duration\":-1,\"permissions\":[{\"kind\":\"project\",\"namespace\":\"" + project
            + "\",\"access\":[{\"resource\":\"repository\",\"action\":\"push\"},{\"resource\":\"repository\",\"action\":\"pull\"}]}]}")
            .expect(201).json();
        return new Robot(body.path("name").asString(), body.path("secret").asString());
    }

    /** The id at the end of a response's {@code Location} header. */
    public static long idFromLocation(Response response) {
        String location = response.header("Location").orElseThrow(() -> new AssertionError("no Location: " + response));
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }

    // ---- support -------------------------------------------------------------------------------

    /** {@code value} URL-encoded as a form or query value. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Go's {@code url.QueryEscape}. */
    public static String queryEscape(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private static String withQuery(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    /** A request being built; {@link #send()} executes it. */
    public final class Request {
        private final String method;
        private final String pathTemplate;
        private String name;
        private String reference;
        private String digest;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private final Map<String, List<String>> query = new TreeMap<>();
        private byte[] body;
        private Supplier<InputStream> stream;

        private Request(String method, String pathTemplate) {
            this.method = method;
            this.pathTemplate = pathTemplate;
        }

        /** Fills {@code <name>} in the path (else the client's default name). */
        public Request name(String value) {
            this.name = value;
            return this;
        }

        /** Fills {@code <reference>} in the path. */
        public Request reference(String value) {
            this.reference = value;
            return this;
        }

        /** Fills {@code <digest>} in the path. */
        public Request digest(String value) {
            this.digest = value;
            return this;
        }

        /** Sets a header, replacing earlier values; {@code Content-Length} is ignored (it always comes from the body). */
        public Request header(String header, String value) {
            headers.removeIf(h -> h.getKey().equalsIgnoreCase(header));
            return addHeader(header, value);
        }

        /** Adds a value to a header, keeping earlier ones (as Go's {@code Header.Add}: one header line each). */
        public Request addHeader(String header, String value) {
            headers.add(Map.entry(header, value));
            return this;
        }

        /** Sets headers from alternating names and values. */
        public Request headers(String... namesAndValues) {
            for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
                header(namesAndValues[i], namesAndValues[i + 1]);
            }
            return this;
        }

        /** Sets a query parameter, appended (sorted, Go-escaped) to the path's own query. */
        public Request query(String param, String value) {
            query.put(param, new ArrayList<>(List.of(value)));
            return this;
        }

        /** Sets the body (null: none). */
        public Request body(byte[] content) {
            this.body = content;
            return this;
        }

        /** Sets a streamed body of unknown length (sent chunked). */
        public Request stream(Supplier<InputStream> content) {
            this.stream = content;
            return this;
        }

        /** Sets a JSON body, a String as it is or anything else serialised, and {@code Content-Type: application/json}. */
        public Request json(Object value) {
            if (value != null) {
                body(value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : Response.JSON.writeValueAsBytes(value));
            }
            return header("Content-Type", "application/json");
        }

        /** The URL this request goes to. */
        public String url() {
            String path = pathTemplate;
            path = replaceIfSet(path, "<name>", name != null && !name.isEmpty() ? name : settings.defaultName);
            path = replaceIfSet(path, "<reference>", reference);
            path = replaceIfSet(path, "<digest>", digest);
            String url;
            if (path.startsWith("http://") || path.startsWith("https://")) {
                url = path;
            } else {
                while (path.startsWith("/")) {
                    path = path.substring(1);
                }
                url = settings.root + "/" + path;
            }
            if (!query.isEmpty()) {
                StringBuilder encoded = new StringBuilder();
                query.forEach((key, values) -> values.forEach(value -> {
                    if (!encoded.isEmpty()) {
                        encoded.append('&');
                    }
                    encoded.append(queryEscape(key)).append('=').append(queryEscape(value));
                }));
                int hash = url.indexOf('#');
                if (hash >= 0) {
                    url = url.substring(0, hash);
                }
                int question = url.indexOf('?');
                boolean hasQuery = question >= 0 && question < url.length() - 1;
                url = hasQuery ? url + "&" + encoded : (question >= 0 ? url : url + "?") + encoded;
            }
            return url;
        }

        /** Sends the request, answering an authentication challenge when the client follows the token flow. */
        public Response send() {
            String url = url();
            Response response;
            if (!settings.tokenFlow) {
                response = execute(url, explicitAuthorization() ? null : credentials.header());
            } else {
                response = execute(url, null);
                String challenge = response.status() == 401 ? response.challenge() : null;
                if (challenge != null && !challenge.isEmpty()) {
                    String scope = challengeParameters(challenge).getOrDefault("scope", "");
                    String cached = settings.tokens.get(tokenKey(scope));
                    if (cached != null) {
                        response = execute(url, cached);
                    }
                    if (cached == null || response.status() == 401) {
                        String authorization = authorize(challenge);
                        if (authorization != null) {
                            response = execute(url, authorization);
                        }
                    }
                }
            }
            if (settings.listener != null) {
                settings.listener.accept(response);
            }
            return response;
        }

        private boolean explicitAuthorization() {
            return headers.stream().anyMatch(h -> h.getKey().equalsIgnoreCase("Authorization"));
        }

        private Response execute(String url, String authorization) {
            boolean sendsBody = (body != null || stream != null) && !method.equals("GET") && !method.equals("HEAD");
            HttpRequest.BodyPublisher publisher = !sendsBody ? HttpRequest.BodyPublishers.noBody()
                : stream != null ? HttpRequest.BodyPublishers.ofInputStream(stream)
                : HttpRequest.BodyPublishers.ofByteArray(body);
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(5))
                .method(method, publisher);
            if (settings.userAgent != null && headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("User-Agent"))) {
                builder.header("User-Agent", settings.userAgent);
            }
            StringBuilder sent = new StringBuilder();
            sent.append(method).append(' ').append(url).append('\n');
            for (Map.Entry<String, String> header : headers) {
                if (!header.getKey().equalsIgnoreCase("Content-Length")) {
                    builder.header(header.getKey(), header.getValue());
                    sent.append("  ").append(header.getKey()).append(": ").append(header.getValue()).append('\n');
                }
            }
            if (authorization != null) {
                builder.setHeader("Authorization", authorization);
            }
            if (sendsBody || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
                // what goes on the wire, whatever value the test set
                sent.append("  Content-Length: ").append(stream != null ? "(streamed)" : sendsBody ? body.length : 0).append('\n');
            }
            if (sendsBody && body != null) {
                sent.append("  (body, ").append(body.length).append(" bytes)").append('\n').append(Response.preview(body));
            }
            try {
                HttpResponse<byte[]> response = settings.http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
                byte[] responseBody = response.body() == null ? new byte[0] : response.body();
                return new Response(method, response.uri(), response.statusCode(), response.headers(), responseBody,
                    sent.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(sent + "failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** The {@code Authorization} value answering {@code challenge}, or null when it cannot be answered. */
        private String authorize(String challenge) {
            String lower = challenge.toLowerCase(Locale.ROOT);
            if (lower.startsWith("basic")) {
                return credentials.header();
            }
            if (!lower.startsWith("bearer")) {
                return null;
            }
            Map<String, String> params = challengeParameters(challenge);
            String realm = params.get("realm");
            if (realm == null) {
                return null;
            }
            StringBuilder tokenUrl = new StringBuilder(realm);
            char separator = realm.contains("?") ? '&' : '?';
            if (params.containsKey("service")) {
                tokenUrl.append(separator).append("service=").append(queryEscape(params.get("service")));
                separator = '&';
            }
            String scope = !settings.tokenScope.isEmpty() ? settings.tokenScope : params.get("scope");
            if (scope != null && !scope.isEmpty()) {
                tokenUrl.append(separator).append("scope=").append(queryEscape(scope));
            }
            HttpRequest.Builder tokenRequest = HttpRequest.newBuilder(URI.create(tokenUrl.toString()))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .GET();
            if (settings.userAgent != null) {
                tokenRequest.header("User-Agent", settings.userAgent);
            }
            if (credentials.header() != null) {
                tokenRequest.header("Authorization", credentials.header());
            }
            try {
                HttpResponse<byte[]> response = settings.http.send(tokenRequest.build(), HttpResponse.BodyHandlers.ofByteArray());
                StrictJson token = StrictJson.parse(response.body());
                String value = token.get("token").asString("");
                if (value.isEmpty()) {
                    value = token.get("access_token").asString("");
                }
                String authorization = "Bearer " + value;
                settings.tokens.put(tokenKey(params.getOrDefault("scope", "")), authorization);
                return authorization;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Tokens are cached per credentials and scope. */
        private String tokenKey(String scope) {
            return credentials.label() + "|" + credentials.header() + "|" + settings.tokenScope + "|" + scope;
        }
    }

    private static Map<String, String> challengeParameters(String challenge) {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        return params;
    }

    private static String replaceIfSet(String path, String placeholder, String value) {
        return value == null || value.isEmpty() ? path : path.replace(placeholder, value);
    }
}
