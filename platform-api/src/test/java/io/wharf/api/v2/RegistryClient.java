package io.wharf.api.v2;

import io.wharf.core.registry.digest.Digest;
import io.wharf.core.testing.TestAccounts;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A small HTTP client for {@code /v2} tests: raw requests plus the push steps every test needs. It sends
 * the admin's Basic credentials with every request unless the request sets its own {@code Authorization}
 * header; {@link #withoutCredentials()} and {@link #withBasic} give clients that send none or others.
 */
final class RegistryClient {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final @Nullable String authorization;

    /** A client of the registry on {@code port} that authenticates as the admin. */
    RegistryClient(int port) {
        this(port, TestAccounts.adminBasic());
    }

    /** A client that sends {@code authorization} as the {@code Authorization} header, or nothing when null. */
    RegistryClient(int port, @Nullable String authorization) {
        this.base = "http://127.0.0.1:" + port;
        this.authorization = authorization;
    }

    private RegistryClient(String base, @Nullable String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** The same registry, without credentials (anonymous). */
    RegistryClient withoutCredentials() {
        return new RegistryClient(base, null);
    }

    /** The same registry, with other Basic credentials. */
    RegistryClient withBasic(String username, String password) {
        return new RegistryClient(base, TestAccounts.basic(username, password));
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
            .timeout(Duration.ofMinutes(2))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null && headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> send(String method, String path) {
        return send(method, path, null, Map.of());
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, null, pairs(headers));
    }

    HttpResponse<byte[]> head(String path, String... headers) {
        return send("HEAD", path, null, pairs(headers));
    }

    /** Pushes a blob monolithically (POST then PUT) and returns its digest. */
    Digest pushBlob(String name, byte[] content) {
        Digest digest = Digest.sha256(content);
        HttpResponse<byte[]> post = send("POST", "/v2/" + name + "/blobs/uploads/");
        check(post, 202);
        String location = post.headers().firstValue("Location").orElseThrow();
        check(send("PUT", location + "?digest=" + digest, content, Map.of("Content-Type", "application/octet-stream")), 201);
        return digest;
    }

    /** Pushes a manifest under {@code reference} and returns its digest. */
    Digest pushManifest(String name, String reference, String mediaType, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        check(send("PUT", "/v2/" + name + "/manifests/" + reference, body, Map.of("Content-Type", mediaType)), 201);
        return Digest.sha256(body);
    }

    /** Pushes a config and a layer and an OCI image manifest referring to them; returns the manifest. */
    Image pushImage(String name, String tag, String seed) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer of " + seed).getBytes(StandardCharsets.UTF_8);
        Digest configDigest = pushBlob(name, config);
        Digest layerDigest = pushBlob(name, layer);
        String manifest = imageManifest(OCI_MANIFEST, "application/vnd.oci.image.config.v1+json", configDigest, config.length,
            "application/vnd.oci.image.layer.v1.tar", layerDigest, layer.length, "");
        Digest digest = pushManifest(name, tag, OCI_MANIFEST, manifest);
        return new Image(digest, manifest, configDigest, layerDigest);
    }

    static String imageManifest(String mediaType, String configType, Digest config, long configSize, String layerType,
                                Digest layer, long layerSize, String extra) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\","
            + "\"config\":{\"mediaType\":\"" + configType + "\",\"digest\":\"" + config + "\",\"size\":" + configSize + "},"
            + "\"layers\":[{\"mediaType\":\"" + layerType + "\",\"digest\":\"" + layer + "\",\"size\":" + layerSize + "}]"
            + extra + "}";
    }

    record Image(Digest digest, String manifest, Digest config, Digest layer) {
        long size() {
            return manifest.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    static void check(HttpResponse<byte[]> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError(response.request().method() + " " + response.uri() + " answered "
                + response.statusCode() + " (expected " + status + "): " + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    private static Map<String, String> pairs(String... headers) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return map;
    }
}
