package io.wharf.api.v2;

import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.core.registry.digest.Digest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.wharf.testkit.TestImage.OCI_INDEX;
import static io.wharf.testkit.TestImage.OCI_MANIFEST;
import static org.assertj.core.api.Assertions.assertThat;

/** What real clients do that the conformance suite does not: curl's form bodies, Go's JSON, retries, races. */
class ClientCompatibilityIT extends RegistryIntegrationTest {

    @Test
    void aDigestAlwaysGetsExactlyItsManifest() {
        TestImage child = client.pushImage("proto/compat-index", "child", "compat-index");
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\"" + OCI_MANIFEST
            + "\",\"digest\":\"" + child.manifestDigest() + "\",\"size\":" + child.manifestSize() + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";
        Digest indexDigest = Digest.parse(client.pushManifest("proto/compat-index", "multi", OCI_INDEX, index));
        Response byDigest = client.get("/v2/proto/compat-index/manifests/" + indexDigest, "Accept", OCI_MANIFEST);
        assertThat(byDigest.statusCode()).isEqualTo(200);
        assertThat(byDigest.headers().firstValue("Docker-Content-Digest")).contains(indexDigest.toString());
        assertThat(Digest.sha256(byDigest.body())).isEqualTo(indexDigest);
        Response byTag = client.get("/v2/proto/compat-index/manifests/multi", "Accept", OCI_MANIFEST);
        assertThat(byTag.headers().firstValue("Docker-Content-Digest")).contains(child.manifestDigest());
    }

    @Test
    void bodiesSentAsFormsAreStillBlobsAndManifests() {
        byte[] content = "curl -d sends this as a form".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        String location = client.send("POST", "/v2/proto/compat-form/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        Response patch = client.send("PATCH", location, content, form);
        assertThat(patch.statusCode()).isEqualTo(202);
        assertThat(patch.headers().firstValue("Range")).contains("0-" + (content.length - 1));
        assertThat(client.send("PUT", location + "?digest=" + digest, null, Map.of()).statusCode()).isEqualTo(201);
        assertThat(client.get("/v2/proto/compat-form/blobs/" + digest).body()).isEqualTo(content);

        byte[] mono = "digest=sha256:0000&mount=x".getBytes(StandardCharsets.UTF_8);
        Response post = client.send("POST", "/v2/proto/compat-form/blobs/uploads/?digest=" + Digest.sha256(mono), mono, form);
        assertThat(post.statusCode()).isEqualTo(201);
    }

    @Test
    void onlyOneOfSeveralCompletionsOfAnUploadWins() throws Exception {
        byte[] content = new byte[4 * 1024 * 1024];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Digest digest = Digest.sha256(content);
        String location = client.send("POST", "/v2/proto/compat-race/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        assertThat(client.send("PATCH", location, content, Map.of()).statusCode()).isEqualTo(202);
        List<CompletableFuture<Integer>> puts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            puts.add(CompletableFuture.supplyAsync(() -> client.send("PUT", location + "?digest=" + digest, null, Map.of()).statusCode()));
        }
        List<Integer> statuses = puts.stream().map(CompletableFuture::join).toList();
        assertThat(statuses).containsOnly(201, 404).contains(201);
        assertThat(client.get("/v2/proto/compat-race/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void refusesJsonThatGoClientsWouldReadDifferently() {
        TestImage image = client.pushImage("proto/compat-json", "base", "compat-json");
        Map<String, String> type = Map.of("Content-Type", OCI_MANIFEST);
        byte[] bom = ("\uFEFF" + image.manifestText()).getBytes(StandardCharsets.UTF_8);
        assertThat(client.send("PUT", "/v2/proto/compat-json/manifests/bom", bom, type).statusCode()).isEqualTo(400);
        byte[] utf16 = image.manifestText().getBytes(StandardCharsets.UTF_16LE);
        assertThat(client.send("PUT", "/v2/proto/compat-json/manifests/utf16", utf16, type).statusCode()).isEqualTo(400);
        String shadowed = image.manifestText().replace("\"layers\"", "\"Layers\":[],\"layers\"");
        Response caseKeys = client.send("PUT", "/v2/proto/compat-json/manifests/case",
            shadowed.getBytes(StandardCharsets.UTF_8), type);
        assertThat(caseKeys.statusCode()).isEqualTo(400);
        assertThat(new String(caseKeys.body(), StandardCharsets.UTF_8)).contains("MANIFEST_INVALID");
        String longPlatform = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\"" + OCI_MANIFEST
            + "\",\"digest\":\"" + image.manifestDigest() + "\",\"size\":" + image.manifestSize() + ",\"platform\":{\"os\":\"linux\",\"architecture\":\""
            + "x".repeat(300) + "\"}}]}";
        Response platform = client.send("PUT", "/v2/proto/compat-json/manifests/long", longPlatform.getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", OCI_INDEX));
        assertThat(platform.statusCode()).isEqualTo(400);
        String emptyArtifactType = image.manifestText().replace("\"config\"", "\"artifactType\":\"\",\"config\"");
        assertThat(client.send("PUT", "/v2/proto/compat-json/manifests/empty-type", emptyArtifactType.getBytes(StandardCharsets.UTF_8), type)
            .statusCode()).isEqualTo(201);
    }

    @Test
    void aMountThatCannotBeDoneStartsAnUpload() {
        Digest digest = Digest.parse(client.pushBlob("proto/compat-mount", "mount source".getBytes(StandardCharsets.UTF_8)));
        for (String query : new String[] {"mount=" + digest + "&from=Bad..Name", "mount=sha256:zz&from=proto/compat-mount", "mount=&from="}) {
            Response post = client.send("POST", "/v2/proto/compat-mount2/blobs/uploads/?" + query);
            assertThat(post.statusCode()).as(query).isEqualTo(202);
            assertThat(post.headers().firstValue("Location").orElseThrow()).startsWith("/v2/proto/compat-mount2/blobs/uploads/");
        }
    }

    @Test
    void aClosingPutMustCarryWhatItsContentRangeSays() {
        String location = client.send("POST", "/v2/proto/compat-put/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        byte[] body = "eleven byte".getBytes(StandardCharsets.UTF_8);
        Response put = client.send("PUT", location + "?digest=" + Digest.sha256(body), body, Map.of("Content-Range", "0-3"));
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(new String(put.body(), StandardCharsets.UTF_8)).contains("BLOB_UPLOAD_INVALID");
    }

    @Test
    void aHugePageSizeMeansEverything() {
        client.pushImage("proto/compat-page", "v1", "compat-page");
        Response tags = client.get("/v2/proto/compat-page/tags/list?n=99999999999");
        assertThat(tags.statusCode()).isEqualTo(200);
        assertThat(new String(tags.body(), StandardCharsets.UTF_8)).contains("\"v1\"");
    }
}
