package io.wharf.api.accounts;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A small HTTP client for the identity tests: {@code /api/v2.0} calls with Basic credentials or none,
 * {@code /service/token}, and the {@code /v2} steps of pushing, pulling and deleting an image.
 */
final class WharfHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    WharfHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** An {@code Authorization} header value; {@link #NONE} sends none. */
    record Auth(String header) {

        static final Auth NONE = null;

        static Auth basic(String username, String password) {
            return new Auth("Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }

        static Auth bearer(String token) {
            return new Auth("Bearer " + token);
        }
    }

    /** A response, read completely. */
    record Response(String method, String uri, int status, HttpHeaders headers, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return JSON.readTree(body);
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        @Override
        public String toString() {
            return method + " " + uri + " -> " + status + " " + headers.map() + " " + text();
        }
    }

    Response send(String method, String path, Auth auth, byte[] body, String contentType, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
            .timeout(Duration.ofMinutes(1))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (auth != null) {
            request.header("Authorization", auth.header());
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(method, response.uri().toString(), response.statusCode(), response.headers(),
                response.body() == null ? new byte[0] : response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response get(String path, Auth auth, String... headers) {
        return send("GET", path, auth, null, null, headers);
    }

    Response head(String path, Auth auth) {
        return send("HEAD", path, auth, null, null);
    }

    Response delete(String path, Auth auth) {
        return send("DELETE", path, auth, null, null);
    }

    /** A JSON request; {@code body} is a JSON string or an object to serialise. */
    Response json(String method, String path, Auth auth, Object body) {
        byte[] bytes = body == null ? null
            : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
        return send(method, path, auth, bytes, "application/json");
    }

    Response post(String path, Auth auth, Object body) {
        return json("POST", path, auth, body);
    }

    Response put(String path, Auth auth, Object body) {
        return json("PUT", path, auth, body);
    }

    Response patch(String path, Auth auth, Object body) {
        return json("PATCH", path, auth, body);
    }

    // ---- /service/token ----------------------------------------------------------------------

    /** {@code GET /service/token?service=wharf&scope=...} with the given credentials. */
    Response token(Auth auth, String... scopes) {
        StringBuilder path = new StringBuilder("/service/token?service=wharf");
        for (String scope : scopes) {
            path.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        }
        return get(path.toString(), auth);
    }

    /** The {@code access} claim of a registry token, decoded without verification. */
    static JsonNode access(String token) {
        String[] parts = token.split("\\.");
        return JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("access");
    }

    // ---- /v2 ---------------------------------------------------------------------------------

    /** The outcome of a push: the first response that failed, or the manifest PUT's; and the manifest digest. */
    record Push(Response response, String digest) {

        boolean ok() {
            return response.status() == 201;
        }
    }

    /** Pushes a config, a layer and an OCI image manifest to {@code repository:tag}; stops at the first failure. */
    Push pushImage(String repository, String tag, Auth auth, String seed) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer of " + seed).getBytes(StandardCharsets.UTF_8);
        Response failed = pushBlob(repository, config, auth);
        if (failed != null) {
            return new Push(failed, null);
        }
        failed = pushBlob(repository, layer, auth);
        if (failed != null) {
            return new Push(failed, null);
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(config)
            + "\",\"size\":" + config.length + "},"
            + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + sha256(layer)
            + "\",\"size\":" + layer.length + "}]}";
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        Response put = send("PUT", "/v2/" + repository + "/manifests/" + tag, auth, bytes, OCI_MANIFEST);
        return new Push(put, sha256(bytes));
    }

    /** POST then PUT of one blob; null when it worked, else the failing response. */
    Response pushBlob(String repository, byte[] content, Auth auth) {
        Response post = send("POST", "/v2/" + repository + "/blobs/uploads/", auth, null, null);
        if (post.status() != 202) {
            return post;
        }
        String location = post.header("Location").orElseThrow();
        String target = location + (location.contains("?") ? "&" : "?") + "digest=" + sha256(content);
        Response put = send("PUT", target, auth, content, "application/octet-stream");
        return put.status() == 201 ? null : put;
    }

    Response pullManifest(String repository, String reference, Auth auth) {
        return get("/v2/" + repository + "/manifests/" + reference, auth, "Accept", OCI_MANIFEST);
    }

    Response deleteManifest(String repository, String digest, Auth auth) {
        return delete("/v2/" + repository + "/manifests/" + digest, auth);
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
