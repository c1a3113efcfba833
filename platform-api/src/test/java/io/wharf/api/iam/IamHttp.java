package io.wharf.api.iam;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A small HTTP client for the identity tests: {@code /v2}, {@code /service/token} and
 * {@code /api/v2.0} with Basic, Bearer or no credentials, plus the few registry steps the tests need.
 */
final class IamHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "Admin12345";
    static final String USER_PASSWORD = "Passw0rd42";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final int port;
    private final String base;

    IamHttp(int port) {
        this.port = port;
        this.base = "http://127.0.0.1:" + port;
    }

    String base() {
        return base;
    }

    // ---- credentials ---------------------------------------------------------------------------

    /** What a request authenticates with: the {@code Authorization} header value, or none. */
    record Creds(String label, String header) {

        static final Creds NONE = new Creds("anonymous", null);

        static Creds basic(String username, String password) {
            return new Creds(username, "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }

        static Creds bearer(String token) {
            return new Creds("bearer", "Bearer " + token);
        }

        static Creds admin() {
            return basic(ADMIN, ADMIN_PASSWORD);
        }

        static Creds user(String username) {
            return basic(username, USER_PASSWORD);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** A response, read whole. */
    record Response(String method, URI uri, int status, HttpHeaders headers, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String challenge() {
            return header("WWW-Authenticate");
        }

        /** The first error code of an OCI or Harbor error body. */
        String errorCode() {
            return json().path("errors").path(0).path("code").asString();
        }

        @Override
        public String toString() {
            return method + " " + uri + " -> " + status + " " + headers.map() + " " + text();
        }
    }

    // ---- raw requests --------------------------------------------------------------------------

    Response send(String method, String path, Creds creds, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
            .timeout(Duration.ofMinutes(1))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (creds != null && creds.header() != null) {
            request.header("Authorization", creds.header());
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(method, response.uri(), response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response get(String path, Creds creds, String... headers) {
        return send("GET", path, creds, null, headers);
    }

    Response json(String method, String path, Creds creds, Object body) {
        return send(method, path, creds, body == null ? null : JSON.writeValueAsBytes(body), "Content-Type", "application/json");
    }

    Response form(String path, Creds creds, Map<String, String> fields) {
        StringJoiner form = new StringJoiner("&");
        fields.forEach((k, v) -> form.add(encode(k) + "=" + encode(v)));
        return send("POST", path, creds, form.toString().getBytes(StandardCharsets.UTF_8),
            "Content-Type", "application/x-www-form-urlencoded");
    }

    /**
     * A GET over a plain socket with a chosen {@code Host} header (which {@link HttpClient} will not
     * send); returns the status line and headers.
     */
    String rawGet(String path, String host) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? text : text.substring(0, end);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- tokens --------------------------------------------------------------------------------

    /** {@code GET /service/token?service=wharf&scope=...}, as the Docker client asks. */
    Response tokenResponse(Creds creds, String... scopes) {
        StringBuilder path = new StringBuilder("/service/token?service=wharf");
        for (String scope : scopes) {
            path.append("&scope=").append(encode(scope));
        }
        return get(path.toString(), creds);
    }

    /** A registry token for the scopes; fails unless the endpoint answers 200. */
    String token(Creds creds, String... scopes) {
        Response response = tokenResponse(creds, scopes);
        expect(response, 200);
        return response.json().path("token").asString();
    }

    /** The JWT's decoded payload (not verified). */
    static JsonNode payload(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    /** The JWT's decoded header (not verified). */
    static JsonNode jwtHeader(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
    }

    /** The actions the token's {@code access} claim grants on {@code type}/{@code name}. */
    static Set<String> granted(String jwt, String type, String name) {
        Set<String> actions = new LinkedHashSet<>();
        for (JsonNode entry : payload(jwt).path("access")) {
            if (type.equals(entry.path("type").asString()) && name.equals(entry.path("name").asString())) {
                entry.path("actions").forEach(a -> actions.add(a.asString()));
            }
        }
        return actions;
    }

    /** The repository actions granted on {@code repository}. */
    static Set<String> granted(String jwt, String repository) {
        return granted(jwt, "repository", repository);
    }

    // ---- the identity API ----------------------------------------------------------------------

    void createUser(String username) {
        expect(json("POST", "/api/v2.0/users", Creds.admin(), Map.of("username", username, "password", USER_PASSWORD,
            "email", username + "@example.test", "realname", username)), 201);
    }

    /** Creates a project as {@code creds} (who becomes its Project Admin) and returns its id. */
    long createProject(Creds creds, String name, boolean isPublic) {
        Response response = json("POST", "/api/v2.0/projects", creds,
            Map.of("project_name", name, "metadata", Map.of("public", String.valueOf(isPublic))));
        expect(response, 201);
        return projectId(name);
    }

    long projectId(String name) {
        Response response = get("/api/v2.0/projects/" + name, Creds.admin());
        expect(response, 200);
        return response.json().path("project_id").asLong();
    }

    void addMember(Creds creds, String project, String username, int roleId) {
        expect(json("POST", "/api/v2.0/projects/" + project + "/members", creds,
            Map.of("role_id", roleId, "member_user", Map.of("username", username))), 201);
    }

    // ---- the registry --------------------------------------------------------------------------

    /** Pushes a blob (POST, then PUT with the content) and returns its digest. */
    String pushBlob(Creds creds, String repository, byte[] content) {
        String digest = sha256(content);
        Response post = send("POST", "/v2/" + repository + "/blobs/uploads/", creds, null);
        expect(post, 202);
        String location = post.header("Location");
        expect(send("PUT", location + (location.contains("?") ? "&" : "?") + "digest=" + digest, creds, content,
            "Content-Type", "application/octet-stream"), 201);
        return digest;
    }

    /** A small image's parts: config and layer content, and the manifest that refers to them. */
    record Image(byte[] config, byte[] layer, String manifest) {

        static Image of(String seed) {
            byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8);
            byte[] layer = ("layer of " + seed).getBytes(StandardCharsets.UTF_8);
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(config)
                + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + sha256(layer)
                + "\",\"size\":" + layer.length + "}]}";
            return new Image(config, layer, manifest);
        }

        byte[] manifestBytes() {
            return manifest.getBytes(StandardCharsets.UTF_8);
        }

        String digest() {
            return sha256(manifestBytes());
        }
    }

    Response putManifest(Creds creds, String repository, String reference, Image image) {
        return send("PUT", "/v2/" + repository + "/manifests/" + reference, creds, image.manifestBytes(),
            "Content-Type", OCI_MANIFEST);
    }

    /** Pushes an image (both blobs and the manifest under {@code tag}) and returns the manifest digest. */
    String pushImage(Creds creds, String repository, String tag, String seed) {
        Image image = Image.of(seed);
        pushBlob(creds, repository, image.config());
        pushBlob(creds, repository, image.layer());
        expect(putManifest(creds, repository, tag, image), 201);
        return image.digest();
    }

    Response getManifest(Creds creds, String repository, String reference) {
        return get("/v2/" + repository + "/manifests/" + reference, creds, "Accept", OCI_MANIFEST);
    }

    /** The repositories {@code /v2/_catalog} shows the caller. */
    List<String> catalog(Creds creds) {
        Response response = get("/v2/_catalog", creds);
        expect(response, 200);
        List<String> names = new ArrayList<>();
        response.json().path("repositories").forEach(n -> names.add(n.asString()));
        return names;
    }

    // ---- support -------------------------------------------------------------------------------

    static Response expect(Response response, int status) {
        if (response.status() != status) {
            throw new AssertionError("expected " + status + ": " + response);
        }
        return response;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
