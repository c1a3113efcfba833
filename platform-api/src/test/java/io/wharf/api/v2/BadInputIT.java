package io.wharf.api.v2;

import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.core.registry.digest.Digest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import static io.wharf.testkit.TestImage.OCI_INDEX;
import static io.wharf.testkit.TestImage.OCI_MANIFEST;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bad input gets the spec's status and error code in the OCI error body, the server logs no
 * stack trace for it, and the database and the store are left exactly as they were.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadInputIT extends RegistryIntegrationTest {

    private static final String NAME = "bad/input";

    private TestImage image;

    @BeforeEach
    void image() {
        image = client.pushImage(NAME, "base", "bad-input");
    }

    @Test
    void rejectsMalformedJsonManifest(CapturedOutput output) {
        expect(output, 400, "MANIFEST_INVALID", () -> putManifest("latest", OCI_MANIFEST, "{\"schemaVersion\": 2, "));
        expect(output, 400, "MANIFEST_INVALID", () -> putManifest("latest", OCI_MANIFEST, "[1, 2]"));
        expect(output, 400, "MANIFEST_INVALID", () -> putManifest("latest", OCI_MANIFEST, ""));
        expect(output, 400, "MANIFEST_INVALID", () -> putManifest("latest", OCI_MANIFEST,
            image.manifestText().replace("\"schemaVersion\":2", "\"schemaVersion\":1")));
        expect(output, 400, "MANIFEST_INVALID", () -> putManifest("latest", OCI_MANIFEST,
            image.manifestText().replace("\"size\":", "\"size\":-")));
        expect(output, 400, "MANIFEST_INVALID", () -> putManifest("latest", OCI_MANIFEST,
            image.manifestText().replace(image.layerDigest().toString(), "sha256:nothex")));
    }

    @Test
    void rejectsManifestWhoseMediaTypeDisagreesWithItsContent(CapturedOutput output) {
        expect(output, 400, "MANIFEST_INVALID", () -> putManifest("latest", OCI_INDEX, image.manifestText()));
        expect(output, 400, "MANIFEST_INVALID", () -> putManifest("latest", OCI_INDEX,
            image.manifestText().replace(OCI_MANIFEST, OCI_INDEX)));
        expect(output, 400, "MANIFEST_INVALID", () -> putManifest("latest", OCI_MANIFEST,
            "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"manifests\":[]}"));
    }

    @Test
    void rejectsUnknownMediaType(CapturedOutput output) {
        expect(output, 400, "MANIFEST_INVALID", () -> putManifest("latest", "application/vnd.example.unknown+json",
            image.manifestText().replace("\"mediaType\":\"" + OCI_MANIFEST + "\",", "")));
        expect(output, 400, "MANIFEST_INVALID", () -> putManifest("latest", OCI_MANIFEST,
            image.manifestText().replace("\"mediaType\":\"" + OCI_MANIFEST + "\"", "\"mediaType\":\"application/vnd.example.unknown+json\"")));
        expect(output, 400, "MANIFEST_INVALID", () -> putManifest("latest",
            "application/vnd.docker.distribution.manifest.v1+prettyjws", "{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"y\"}"));
    }

    @Test
    void rejectsDigestThatDoesNotMatchTheBody(CapturedOutput output) {
        Digest wrong = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));
        expect(output, 400, "DIGEST_INVALID", () -> putManifest(wrong.toString(), OCI_MANIFEST, image.manifestText()));
        expect(output, 400, "DIGEST_INVALID", () -> client.send("POST", "/v2/" + NAME + "/blobs/uploads/?digest=" + wrong,
            "monolithic".getBytes(StandardCharsets.UTF_8), Map.of()));
        expect(output, 400, "DIGEST_INVALID", () -> {
            String location = client.send("POST", "/v2/" + NAME + "/blobs/uploads/").headers().firstValue("Location").orElseThrow();
            client.send("PATCH", location, "chunk".getBytes(StandardCharsets.UTF_8), Map.of());
            return client.send("PUT", location + "?digest=" + wrong, "tail".getBytes(StandardCharsets.UTF_8), Map.of());
        });
    }

    @Test
    void rejectsMalformedDigests(CapturedOutput output) {
        expect(output, 400, "DIGEST_INVALID", () -> client.get("/v2/" + NAME + "/blobs/sha256:totallywrong"));
        expect(output, 400, "DIGEST_INVALID", () -> client.get("/v2/" + NAME + "/manifests/sha256:totallywrong"));
        expect(output, 400, "DIGEST_INVALID", () -> client.get("/v2/" + NAME + "/blobs/md5:d41d8cd98f00b204e9800998ecf8427e"));
        expect(output, 400, "DIGEST_INVALID", () -> client.get("/v2/" + NAME + "/referrers/sha256:abc"));
        expect(output, 400, "DIGEST_INVALID", () -> client.send("POST", "/v2/" + NAME + "/blobs/uploads/?digest=SHA256:ABC",
            "x".getBytes(StandardCharsets.UTF_8), Map.of()));
        String location = client.send("POST", "/v2/" + NAME + "/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        expect(output, 400, "DIGEST_INVALID", () -> client.send("PUT", location + "?digest=sha256:", null, Map.of()));
        expect(output, 400, "DIGEST_INVALID", () -> client.send("PUT", location, null, Map.of()));
    }

    @Test
    void rejectsContentRangeThatSkipsOrOverlaps(CapturedOutput output) {
        String location = client.send("POST", "/v2/" + NAME + "/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        client.send("PATCH", location, "0123456789".getBytes(StandardCharsets.UTF_8), Map.of("Content-Range", "0-9"));
        expect(output, 416, "BLOB_UPLOAD_INVALID", () -> client.send("PATCH", location, "abc".getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Range", "12-14")));
        expect(output, 416, "BLOB_UPLOAD_INVALID", () -> client.send("PATCH", location, "abc".getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Range", "8-10")));
        expect(output, 416, "BLOB_UPLOAD_INVALID", () -> client.send("PATCH", location, "abc".getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Range", "garbage")));
        expect(output, 400, "BLOB_UPLOAD_INVALID", () -> client.send("PATCH", location, "abc".getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Range", "10-19")));
        assertThat(client.get(location).headers().firstValue("Range")).contains("0-9");
    }

    @Test
    void rejectsUnknownUploadsAndUploadsOfAnotherRepository(CapturedOutput output) {
        String location = client.send("POST", "/v2/" + NAME + "/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        String foreign = "/v2/bad/other/blobs/uploads/" + id;
        expect(output, 404, "BLOB_UPLOAD_UNKNOWN", () -> client.get(foreign));
        expect(output, 404, "BLOB_UPLOAD_UNKNOWN", () -> client.send("PATCH", foreign, "x".getBytes(StandardCharsets.UTF_8), Map.of()));
        expect(output, 404, "BLOB_UPLOAD_UNKNOWN", () -> client.send("PUT", foreign + "?digest=" + image.layerDigest(), null, Map.of()));
        expect(output, 404, "BLOB_UPLOAD_UNKNOWN", () -> client.send("DELETE", foreign));
        expect(output, 404, "BLOB_UPLOAD_UNKNOWN", () -> client.get("/v2/" + NAME + "/blobs/uploads/3f0c4b0e-0000-4000-8000-000000000000"));
        expect(output, 404, "BLOB_UPLOAD_UNKNOWN", () -> client.send("PATCH", "/v2/" + NAME + "/blobs/uploads/not-a-uuid",
            "x".getBytes(StandardCharsets.UTF_8), Map.of()));
    }

    @Test
    void rejectsInvalidRepositoryNames(CapturedOutput output) {
        String tooLong = "a".repeat(120) + "/" + "b".repeat(140);
        RegistryClient anonymous = client.anonymous();
        for (String name : new String[] {"Bad/Upper", "bad/../input", "bad//input", "bad%2Finput", "bad/input%2fx", tooLong,
            "bad/-dash", "bad/input/", "bad/in$put"}) {
            expect(output, 400, "NAME_INVALID", () -> client.get("/v2/" + name + "/manifests/latest"));
            expect(output, 400, "NAME_INVALID", () -> client.send("POST", "/v2/" + name + "/blobs/uploads/"));
            expect(output, 400, "NAME_INVALID", () -> client.get("/v2/" + name + "/tags/list"));
            // the name is rejected before credentials are asked for
            expect(output, 400, "NAME_INVALID", () -> anonymous.get("/v2/" + name + "/manifests/latest"));
            expect(output, 400, "NAME_INVALID", () -> anonymous.send("POST", "/v2/" + name + "/blobs/uploads/"));
        }
    }

    @Test
    void startsAPlainUploadForMalformedMountArguments(CapturedOutput output) {
        // A mount that cannot be done, malformed arguments included, opens an upload session instead (202), as the
        // spec asks of mounts; it never mounts from anywhere else.
        String target = "bad/mount-target";
        for (String query : new String[] {"mount=sha256:short", "mount=" + image.layerDigest() + "&from=Bad/Upper",
            "mount=" + image.layerDigest() + "&from=bad/../input"}) {
            int logged = output.getAll().length();
            Response response = client.send("POST", "/v2/" + target + "/blobs/uploads/?" + query);
            assertThat(response.statusCode()).as("POST ?%s: %s", query, new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(202);
            assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).startsWith("/v2/" + target + "/blobs/uploads/"));
            assertThat(output.getAll().substring(logged)).doesNotContain("\tat ").doesNotContain(" ERROR ");
        }
        assertThat(client.head("/v2/" + target + "/blobs/" + image.layerDigest()).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesToDeleteABlobStillReferenced(CapturedOutput output) {
        expect(output, 405, "UNSUPPORTED", () -> client.send("DELETE", "/v2/" + NAME + "/blobs/" + image.layerDigest()));
        expect(output, 405, "UNSUPPORTED", () -> client.send("DELETE", "/v2/" + NAME + "/blobs/" + image.configDigest()));
    }

    @Test
    void rejectsManifestsReferringToUnknownContent(CapturedOutput output) {
        Digest unknown = Digest.sha256("not pushed".getBytes(StandardCharsets.UTF_8));
        expect(output, 404, "MANIFEST_BLOB_UNKNOWN", () -> putManifest("v2", OCI_MANIFEST,
            image.manifestText().replace(image.layerDigest().toString(), unknown.toString())));
        expect(output, 404, "MANIFEST_BLOB_UNKNOWN", () -> putManifest("v2", OCI_MANIFEST,
            image.manifestText().replace(image.configDigest().toString(), unknown.toString())));
        expect(output, 404, "MANIFEST_BLOB_UNKNOWN", () -> putManifest("v2", OCI_INDEX,
            "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\"" + OCI_MANIFEST
                + "\",\"digest\":\"" + unknown + "\",\"size\":10}]}"));
        expect(output, 404, "MANIFEST_BLOB_UNKNOWN", () -> client.send("PUT", "/v2/bad/elsewhere/manifests/v1",
            image.manifestText().getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", OCI_MANIFEST)));
        expect(output, 400, "MANIFEST_INVALID", () -> putManifest("v2", OCI_MANIFEST,
            image.manifestText().replaceFirst("\"size\":\\d+", "\"size\":1")));
    }

    @Test
    void rejectsOversizedManifests(CapturedOutput output) {
        String padding = "x".repeat(4 * 1024 * 1024);
        expect(output, 413, "SIZE_INVALID", () -> putManifest("huge", OCI_MANIFEST,
            image.manifestText().replace("\"layers\"", "\"annotations\":{\"pad\":\"" + padding + "\"},\"layers\"")));
    }

    @Test
    void rejectsInvalidTagsAndUnknownEndpoints(CapturedOutput output) {
        expect(output, 400, "MANIFEST_INVALID", () -> putManifest("-bad-tag", OCI_MANIFEST, image.manifestText()));
        expect(output, 404, "MANIFEST_UNKNOWN", () -> client.get("/v2/" + NAME + "/manifests/.INVALID_MANIFEST_NAME"));
        expect(output, 404, "NOT_FOUND", () -> client.get("/v2/" + NAME + "/nothing/here"));
        expect(output, 405, "UNSUPPORTED", () -> client.send("POST", "/v2/" + NAME + "/manifests/base"));
        expect(output, 400, "PAGINATION_NUMBER_INVALID", () -> client.get("/v2/" + NAME + "/tags/list?n=-1"));
        expect(output, 404, "NOT_FOUND", () -> client.get("/_wharf/v2/manifest"));
    }

    @Test
    void discardsTheChunkOfAClientThatDisconnectsMidUpload(CapturedOutput output) throws Exception {
        String location = client.send("POST", "/v2/" + NAME + "/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        Map<String, Object> before = state();
        int logged = output.getAll().length();
        requests.clear();
        RequestTracker.Exchange patch;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            var out = socket.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[64 * 1024]);
            out.flush();
            // disconnect only once the server is handling the PATCH
            patch = requests.awaitArrival("PATCH", java.net.URI.create(location).getPath(), Duration.ofSeconds(10));
        }
        // the server notices the disconnect while reading the body; wait until it has finished with the request
        patch.awaitDone(Duration.ofSeconds(30));
        assertThat(state()).isEqualTo(before);
        assertThat(client.get(location).headers().firstValue("Range")).contains("0-0");
        assertThat(output.getAll().substring(logged)).doesNotContain("\tat ").doesNotContain(" ERROR ");
    }

    private Response putManifest(String reference, String contentType, String body) {
        return client.send("PUT", "/v2/" + NAME + "/manifests/" + reference, body.getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", contentType));
    }

    private void expect(CapturedOutput output, int status, String code, Supplier<Response> request) {
        Map<String, Object> before = state();
        int logged = output.getAll().length();
        Response response = request.get();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as("status of %s %s: %s", response.method(), response.uri(), body).isEqualTo(status);
        assertThat(body).as("error body").startsWith("{\"errors\":[{\"code\":\"" + code + "\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(state()).as("state after %s %s", response.method(), response.uri()).isEqualTo(before);
        String log = output.getAll().substring(logged);
        assertThat(log).doesNotContain("\tat ").doesNotContain(" ERROR ");
    }
}
