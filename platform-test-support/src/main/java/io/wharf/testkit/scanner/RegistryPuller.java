package io.wharf.testkit.scanner;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls an artifact the way a scanner adapter does with the {@code registry} of a scan request: the
 * manifest by digest and every blob it references (the children of an index too), over plain
 * {@code /v2} with the given {@code Authorization}, presented as the {@link Mode} says. A 401 with a
 * Bearer challenge is answered by asking the challenge's realm for a pull token with that same
 * {@code Authorization}. Redirects are followed, without the credential when they leave the registry's
 * origin. Digests are verified.
 */
public final class RegistryPuller {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ACCEPT = String.join(", ", "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json");
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** How the puller presents its credential. */
    public enum Mode {
        /** The credential goes with every request; a 401 with a Bearer challenge is answered through its realm. */
        CREDENTIAL,
        /**
         * As go-containerregistry (which trivy, and so harbor-scanner-trivy, pulls with): {@code GET /v2/}
         * without credentials first; the realm of a Bearer challenge is asked for a token with scope
         * {@code repository:<name>:pull} and the credential, and that token goes with every request (a
         * Basic challenge keeps the credential, a 200 pulls anonymously). A realm the puller cannot reach
         * thus fails the pull.
         */
        TOKEN
    }

    /** What was pulled: the manifests by digest and the blobs' sizes by digest. */
    public record Pulled(Map<String, byte[]> manifests, Map<String, Long> blobs) {
    }

    /** The registry refused or failed a request; {@code status} is its HTTP status. */
    public static final class PullFailed extends RuntimeException {
        private final int status;

        PullFailed(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI registry;
    private final String authorization;
    private final Mode mode;
    private String credential;

    /** A puller of {@code registry} (its base URL, without {@code /v2}) with {@code authorization} (a header value). */
    public RegistryPuller(URI registry, String authorization) {
        this(registry, authorization, Mode.CREDENTIAL);
    }

    /** A puller of {@code registry} with {@code authorization}, presented as {@code mode} says. */
    public RegistryPuller(URI registry, String authorization, Mode mode) {
        this.registry = URI.create(registry.toString().replaceAll("/+$", ""));
        this.authorization = authorization;
        this.mode = mode;
        this.credential = authorization;
    }

    /**
     * Pulls {@code repository@digest} with everything it references.
     *
     * @throws PullFailed when the registry answers an error (401/403 for a credential it does not accept)
     */
    public Pulled pull(String repository, String digest) {
        Pulled pulled = new Pulled(new LinkedHashMap<>(), new LinkedHashMap<>());
        if (mode == Mode.TOKEN) {
            credential = ping(repository);
        }
        pullManifest(repository, digest, pulled);
        return pulled;
    }

    private void pullManifest(String repository, String digest, Pulled pulled) {
        byte[] manifest = get(repository, URI.create(registry + "/v2/" + repository + "/manifests/" + digest), ACCEPT);
        verify(digest, manifest);
        pulled.manifests().put(digest, manifest);
        JsonNode json = JSON.readTree(manifest);
        for (JsonNode child : json.path("manifests")) {
            pullManifest(repository, child.path("digest").asString(), pulled);
        }
        if (json.has("config")) {
            pullBlob(repository, json.path("config").path("digest").asString(), pulled);
        }
        for (JsonNode layer : json.path("layers")) {
            pullBlob(repository, layer.path("digest").asString(), pulled);
        }
    }

    private void pullBlob(String repository, String digest, Pulled pulled) {
        byte[] blob = get(repository, URI.create(registry + "/v2/" + repository + "/blobs/" + digest), "*/*");
        verify(digest, blob);
        pulled.blobs().put(digest, (long) blob.length);
    }

    private byte[] get(String repository, URI uri, String accept) {
        boolean challenged = false;
        URI target = uri;
        for (int hop = 0; hop < 5; hop++) {
            boolean sameOrigin = sameOrigin(target, registry);
            HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30)).header("Accept", accept);
            if (sameOrigin && !credential.isEmpty()) {
                request.header("Authorization", credential);
            }
            HttpResponse<byte[]> response = send(request.build());
            int status = response.statusCode();
            if (status == 401 && sameOrigin && !challenged) {
                String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
                if (!challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    throw new PullFailed(401, "the registry refused the credential: " + challenge);
                }
                credential = "Bearer " + token(challenge, repository);
                challenged = true;
                continue;
            }
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                target = target.resolve(response.headers().firstValue("Location")
                    .orElseThrow(() -> new PullFailed(status, "redirect without Location")));
                continue;
            }
            if (status != 200) {
                throw new PullFailed(status, "GET " + target + " answered " + status + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
            }
            return response.body();
        }
        throw new PullFailed(0, "too many redirects for " + uri);
    }

    /** {@code GET /v2/} without credentials; the credential to pull {@code repository} with, as {@link Mode#TOKEN} says. */
    private String ping(String repository) {
        URI base = URI.create(registry + "/v2/");
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(base).timeout(Duration.ofSeconds(30)).build());
        String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
        if (response.statusCode() == 200) {
            return "";
        }
        if (response.statusCode() != 401) {
            throw new PullFailed(response.statusCode(), "GET " + base + " answered " + response.statusCode());
        }
        if (!challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization;
        }
        return "Bearer " + token(params(challenge), "repository:" + repository + ":pull");
    }

    /** A token from {@code challenge}'s realm for its scope, else {@code repository:<repository>:pull}. */
    private String token(String challenge, String repository) {
        Map<String, String> params = params(challenge);
        return token(params, params.getOrDefault("scope", "repository:" + repository + ":pull"));
    }

    private String token(Map<String, String> params, String scope) {
        String realm = Objects.requireNonNull(params.get("realm"), "challenge without realm: " + params);
        StringBuilder query = new StringBuilder("scope=").append(encode(scope));
        if (params.containsKey("service")) {
            query.append("&service=").append(encode(params.get("service")));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realm + (realm.contains("?") ? "&" : "?") + query))
            .timeout(Duration.ofSeconds(30));
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response = send(request.build());
        if (response.statusCode() != 200) {
            throw new PullFailed(response.statusCode(), "the token endpoint answered " + response.statusCode() + ": "
                + new String(response.body(), StandardCharsets.UTF_8));
        }
        JsonNode json = JSON.readTree(response.body());
        String token = json.path("token").asString(json.path("access_token").asString(""));
        if (token.isEmpty()) {
            throw new PullFailed(200, "the token endpoint sent no token");
        }
        return token;
    }

    private static Map<String, String> params(String challenge) {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        return params;
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new PullFailed(0, request.uri() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullFailed(0, "interrupted");
        }
    }

    private static void verify(String digest, byte[] content) {
        if (!digest.startsWith("sha256:")) {
            return;
        }
        try {
            String actual = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            if (!actual.equals(digest)) {
                throw new PullFailed(200, "content of " + digest + " has digest " + actual);
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
