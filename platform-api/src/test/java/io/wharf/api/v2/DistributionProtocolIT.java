package io.wharf.api.v2;

import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.core.registry.digest.Digest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static io.wharf.testkit.TestImage.OCI_INDEX;
import static io.wharf.testkit.TestImage.OCI_MANIFEST;
import static org.assertj.core.api.Assertions.assertThat;

/** The OCI distribution spec's workflows over HTTP: pull, push, content discovery, content management. */
class DistributionProtocolIT extends RegistryIntegrationTest {

    @Test
    void answersTheVersionCheck() {
        Response response = client.get("/v2/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
        assertThat(client.get("/v2").statusCode()).isEqualTo(200);

        Response anonymous = client.anonymous().get("/v2/");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
            .contains("Bearer realm=\"http://127.0.0.1:" + port + "/service/token\",service=\"wharf\"");
    }

    @Test
    void pullsManifestsByTagAndDigestWithTheirHeaders() {
        TestImage image = client.pushImage("proto/pull", "v1", "pull");
        for (String reference : new String[] {"v1", image.manifestDigest()}) {
            Response get = client.get("/v2/proto/pull/manifests/" + reference, "Accept", OCI_MANIFEST);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo(image.manifestText());
            assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(image.manifestDigest());
            assertThat(get.headers().firstValue("Content-Type")).contains(OCI_MANIFEST);
            assertThat(get.headers().firstValueAsLong("Content-Length")).hasValue(image.manifestSize());
            Response head = client.head("/v2/proto/pull/manifests/" + reference);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("Docker-Content-Digest")).contains(image.manifestDigest());
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(image.manifestSize());
        }
        assertThat(client.get("/v2/proto/pull/manifests/v2").statusCode()).isEqualTo(404);
        Response anonymous = client.anonymous().get("/v2/proto/pull/manifests/v1");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"http://127.0.0.1:" + port
            + "/service/token\",service=\"wharf\",scope=\"repository:proto/pull:pull\"");
        assertThat(client.head("/v2/proto/pull/manifests/.INVALID_MANIFEST_NAME").statusCode()).isEqualTo(404);
    }

    @Test
    void pullsBlobsWholeAndByRange() {
        byte[] content = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.parse(client.pushBlob("proto/range", content));
        String path = "/v2/proto/range/blobs/" + digest;
        Response whole = client.get(path);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(content);
        assertThat(whole.headers().firstValue("Docker-Content-Digest")).contains(digest.toString());
        assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(16);
        Response head = client.head(path);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(16);

        Response partial = client.get(path, "Range", "bytes=2-5");
        assertThat(partial.statusCode()).isEqualTo(206);
        assertThat(new String(partial.body(), StandardCharsets.UTF_8)).isEqualTo("2345");
        assertThat(partial.headers().firstValue("Content-Range")).contains("bytes 2-5/16");
        assertThat(new String(client.get(path, "Range", "bytes=10-").body(), StandardCharsets.UTF_8)).isEqualTo("abcdef");
        assertThat(new String(client.get(path, "Range", "bytes=-3").body(), StandardCharsets.UTF_8)).isEqualTo("def");

        Response unsatisfiable = client.get(path, "Range", "bytes=16-20");
        assertThat(unsatisfiable.statusCode()).isEqualTo(416);
        assertThat(unsatisfiable.headers().firstValue("Content-Range")).contains("bytes */16");
    }

    @Test
    void pushesMonolithicallyInOnePost() {
        byte[] content = "monolithic".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        Response post = client.send("POST", "/v2/proto/mono/blobs/uploads/?digest=" + digest, content,
            Map.of("Content-Type", "application/octet-stream"));
        assertThat(post.statusCode()).isEqualTo(201);
        assertThat(post.headers().firstValue("Location")).contains("/v2/proto/mono/blobs/" + digest);
        assertThat(post.headers().firstValue("Docker-Content-Digest")).contains(digest.toString());
        assertThat(client.get("/v2/proto/mono/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void pushesInChunksAndReportsProgress() {
        byte[] content = "first chunk|second chunk".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        Response post = client.send("POST", "/v2/proto/chunked/blobs/uploads/");
        assertThat(post.statusCode()).isEqualTo(202);
        assertThat(post.headers().firstValue("Range")).contains("0-0");
        String location = post.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/v2/proto/chunked/blobs/uploads/");
        assertThat(post.headers().firstValue("Docker-Upload-UUID")).isPresent();

        Response first = client.send("PATCH", location, Arrays.copyOfRange(content, 0, 12),
            Map.of("Content-Range", "0-11", "Content-Type", "application/octet-stream"));
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue("Range")).contains("0-11");

        Response status = client.get(location);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).contains("0-11");
        assertThat(status.headers().firstValue("Location")).contains(location);

        Response overlap = client.send("PATCH", location, Arrays.copyOfRange(content, 0, 12),
            Map.of("Content-Range", "0-11"));
        assertThat(overlap.statusCode()).isEqualTo(416);

        Response second = client.send("PATCH", location, Arrays.copyOfRange(content, 12, content.length),
            Map.of("Content-Range", "12-" + (content.length - 1)));
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.headers().firstValue("Range")).contains("0-" + (content.length - 1));

        Response put = client.send("PUT", location + "?digest=" + digest, null, Map.of());
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("Location")).contains("/v2/proto/chunked/blobs/" + digest);
        assertThat(client.get("/v2/proto/chunked/blobs/" + digest).body()).isEqualTo(content);
        assertThat(client.get(location).statusCode()).isEqualTo(404);
    }

    @Test
    void pushesStreamedChunksAndAFinalChunkWithThePut() {
        byte[] content = "streamed without content range, then the rest".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        String location = client.send("POST", "/v2/proto/streamed/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        Response patch = client.send("PATCH", location, Arrays.copyOfRange(content, 0, 20), Map.of());
        assertThat(patch.statusCode()).isEqualTo(202);
        assertThat(patch.headers().firstValue("Range")).contains("0-19");
        Response put = client.send("PUT", location + "?digest=" + digest, Arrays.copyOfRange(content, 20, content.length),
            Map.of("Content-Type", "application/octet-stream"));
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(client.get("/v2/proto/streamed/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void cancelsAnUpload() {
        String location = client.send("POST", "/v2/proto/cancel/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        client.send("PATCH", location, "data".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(client.send("DELETE", location).statusCode()).isEqualTo(204);
        assertThat(client.get(location).statusCode()).isEqualTo(404);
        assertThat(client.send("DELETE", location).statusCode()).isEqualTo(404);
    }

    @Test
    void mountsBlobsAcrossRepositories() {
        Digest digest = Digest.parse(client.pushBlob("proto/mount-source", "mount me".getBytes(StandardCharsets.UTF_8)));
        Response mounted = client.send("POST",
            "/v2/proto/mount-target/blobs/uploads/?mount=" + digest + "&from=proto/mount-source");
        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(mounted.headers().firstValue("Location")).contains("/v2/proto/mount-target/blobs/" + digest);
        assertThat(client.get("/v2/proto/mount-target/blobs/" + digest).statusCode()).isEqualTo(200);

        Response automatic = client.send("POST", "/v2/proto/mount-auto/blobs/uploads/?mount=" + digest);
        assertThat(automatic.statusCode()).isEqualTo(201);
        assertThat(client.get("/v2/proto/mount-auto/blobs/" + digest).statusCode()).isEqualTo(200);

        Digest unknown = Digest.sha256("never pushed".getBytes(StandardCharsets.UTF_8));
        Response fallback = client.send("POST",
            "/v2/proto/mount-target/blobs/uploads/?mount=" + unknown + "&from=proto/mount-source");
        assertThat(fallback.statusCode()).isEqualTo(202);
        assertThat(fallback.headers().firstValue("Location").orElseThrow()).startsWith("/v2/proto/mount-target/blobs/uploads/");
        Response wrongSource = client.send("POST",
            "/v2/proto/mount-other/blobs/uploads/?mount=" + digest + "&from=proto/nothing-here");
        assertThat(wrongSource.statusCode()).isEqualTo(202);
    }

    @Test
    void aRepositoryServesOnlyBlobsLinkedToIt() {
        Digest digest = Digest.parse(client.pushBlob("proto/linked-a", "only in a".getBytes(StandardCharsets.UTF_8)));
        client.pushBlob("proto/linked-b", "something in b".getBytes(StandardCharsets.UTF_8));
        assertThat(client.get("/v2/proto/linked-a/blobs/" + digest).statusCode()).isEqualTo(200);
        Response other = client.get("/v2/proto/linked-b/blobs/" + digest);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(new String(other.body(), StandardCharsets.UTF_8)).contains("BLOB_UNKNOWN");
    }

    @Test
    void storesEachBlobOnceAcrossRepositories() throws Exception {
        byte[] content = "shared layer bytes".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.parse(client.pushBlob("proto/dedup-a", content));
        client.pushBlob("proto/dedup-b", content);
        assertThat(driver.list("blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex())).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM blob WHERE digest = ?", Long.class, digest.toString())).isEqualTo(1);
    }

    @Test
    void acceptsEveryManifestKind() {
        String name = "proto/kinds";
        byte[] config = "{\"architecture\":\"arm64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "docker layer".getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.parse(client.pushBlob(name, config));
        Digest layerDigest = Digest.parse(client.pushBlob(name, layer));

        String docker = TestImage.imageManifest("application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.container.image.v1+json", configDigest, config.length,
            "application/vnd.docker.image.rootfs.diff.tar.gzip", layerDigest, layer.length, "");
        Digest dockerDigest = Digest.parse(client.pushManifest(name, "docker", "application/vnd.docker.distribution.manifest.v2+json", docker));
        assertThat(client.get("/v2/" + name + "/manifests/docker").headers().firstValue("Content-Type"))
            .contains("application/vnd.docker.distribution.manifest.v2+json");

        TestImage oci = client.pushImage(name, "oci", "kinds");
        String list = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\","
            + "\"manifests\":[{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"digest\":\"" + dockerDigest
            + "\",\"size\":" + docker.length() + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}}]}";
        client.pushManifest(name, "list", "application/vnd.docker.distribution.manifest.list.v2+json", list);

        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
            + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + oci.manifestDigest() + "\",\"size\":" + oci.manifestSize()
            + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";
        Digest indexDigest = Digest.parse(client.pushManifest(name, "index", OCI_INDEX, index));
        Response get = client.get("/v2/" + name + "/manifests/index", "Accept", OCI_INDEX + ", " + OCI_MANIFEST);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(indexDigest.toString());
        assertThat(get.headers().firstValue("Content-Type")).contains(OCI_INDEX);

        Response oldClient = client.get("/v2/" + name + "/manifests/index", "Accept", OCI_MANIFEST);
        assertThat(oldClient.headers().firstValue("Docker-Content-Digest")).contains(oci.manifestDigest());

        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Digest emptyDigest = Digest.parse(client.pushBlob(name, empty));
        String artifact = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"artifactType\":\"application/vnd.example.sbom\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + emptyDigest + "\",\"size\":2},"
            + "\"layers\":[{\"mediaType\":\"application/spdx+json\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}";
        client.pushManifest(name, "sbom", OCI_MANIFEST, artifact);
        assertThat(jdbc.queryForObject("SELECT artifact_type FROM manifest WHERE digest = ?", String.class,
            Digest.sha256(artifact.getBytes(StandardCharsets.UTF_8)).toString())).isEqualTo("application/vnd.example.sbom");
    }

    @Test
    void keepsManifestBytesExactly() {
        String name = "proto/exact";
        TestImage image = client.pushImage(name, "base", "exact");
        String spaced = "{\n  \"schemaVersion\" : 2,\n  \"mediaType\": \"" + OCI_MANIFEST + "\",\n"
            + "  \"config\": {\"mediaType\": \"application/vnd.oci.image.config.v1+json\", \"digest\": \"" + image.configDigest()
            + "\", \"size\": " + client.get("/v2/" + name + "/blobs/" + image.configDigest()).body().length + "},\n"
            + "  \"layers\": []\n}\n";
        Digest digest = Digest.parse(client.pushManifest(name, "spaced", OCI_MANIFEST, spaced));
        Response get = client.get("/v2/" + name + "/manifests/" + digest);
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo(spaced);
        assertThat(Digest.sha256(get.body())).isEqualTo(digest);
    }

    @Test
    void pushesManifestsByDigestIncludingSha512() {
        String name = "proto/bydigest";
        TestImage image = client.pushImage(name, "t", "bydigest");
        byte[] body = image.manifestText().getBytes(StandardCharsets.UTF_8);
        Digest sha512 = Digest.of(Digest.SHA512, body);
        Response put = client.send("PUT", "/v2/" + name + "/manifests/" + sha512, body, Map.of("Content-Type", OCI_MANIFEST));
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).contains(sha512.toString());
        assertThat(client.get("/v2/" + name + "/manifests/" + sha512).body()).isEqualTo(body);

        byte[] blob = "sha512 blob".getBytes(StandardCharsets.UTF_8);
        Digest blobDigest = Digest.of(Digest.SHA512, blob);
        String location = client.send("POST", "/v2/" + name + "/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        client.send("PUT", location + "?digest=" + blobDigest, blob, Map.of()).expect(201);
        assertThat(client.get("/v2/" + name + "/blobs/" + blobDigest).body()).isEqualTo(blob);
    }

    @Test
    void answersSubjectWithOciSubjectAndListsReferrers() {
        String name = "proto/referrers";
        TestImage subject = client.pushImage(name, "app", "referrers");
        Digest empty = Digest.parse(client.pushBlob(name, "{}".getBytes(StandardCharsets.UTF_8)));
        Digest payload = Digest.parse(client.pushBlob(name, "signature".getBytes(StandardCharsets.UTF_8)));
        String subjectField = ",\"subject\":{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + subject.manifestDigest() + "\",\"size\":" + subject.manifestSize() + "}";
        String signature = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"artifactType\":\"application/vnd.example.signature\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + empty + "\",\"size\":2},"
            + "\"layers\":[{\"mediaType\":\"application/octet-stream\",\"digest\":\"" + payload + "\",\"size\":9}]"
            + subjectField + ",\"annotations\":{\"org.example\":\"sig\"}}";
        byte[] body = signature.getBytes(StandardCharsets.UTF_8);
        Response put = client.send("PUT", "/v2/" + name + "/manifests/" + Digest.sha256(body), body,
            Map.of("Content-Type", OCI_MANIFEST));
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).contains(subject.manifestDigest());
        String sbom = signature.replace("vnd.example.signature", "vnd.example.sbom").replace("\"sig\"", "\"sbom\"");
        client.pushManifest(name, Digest.sha256(sbom.getBytes(StandardCharsets.UTF_8)).toString(), OCI_MANIFEST, sbom);

        Response all = client.get("/v2/" + name + "/referrers/" + subject.manifestDigest());
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).contains(OCI_INDEX);
        String json = new String(all.body(), StandardCharsets.UTF_8);
        assertThat(json).contains("application/vnd.example.signature", "application/vnd.example.sbom", "\"org.example\":\"sig\"");
        assertThat(all.headers().firstValue("OCI-Filters-Applied")).isEmpty();

        Response filtered = client.get("/v2/" + name + "/referrers/" + subject.manifestDigest() + "?artifactType=application/vnd.example.sbom");
        assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).contains("artifactType");
        assertThat(new String(filtered.body(), StandardCharsets.UTF_8)).contains("vnd.example.sbom").doesNotContain("vnd.example.signature");

        Response none = client.get("/v2/proto/no-such-repo/referrers/" + subject.manifestDigest());
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(new String(none.body(), StandardCharsets.UTF_8)).contains("\"manifests\":[]");
    }

    @Test
    void listsTagsSortedWithPagination() {
        String name = "proto/tags";
        TestImage image = client.pushImage(name, "b", "tags");
        for (String tag : new String[] {"a", "C", "c", "A1", "latest"}) {
            client.pushManifest(name, tag, OCI_MANIFEST, image.manifestText());
        }
        assertThat(new String(client.get("/v2/" + name + "/tags/list").body(), StandardCharsets.UTF_8))
            .isEqualTo("{\"name\":\"proto/tags\",\"tags\":[\"A1\",\"C\",\"a\",\"b\",\"c\",\"latest\"]}");
        Response first = client.get("/v2/" + name + "/tags/list?n=2");
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).contains("[\"A1\",\"C\"]");
        assertThat(first.headers().firstValue("Link")).contains("</v2/proto/tags/tags/list?n=2&last=C>; rel=\"next\"");
        Response second = client.get("/v2/" + name + "/tags/list?n=2&last=C");
        assertThat(new String(second.body(), StandardCharsets.UTF_8)).contains("[\"a\",\"b\"]");
        Response last = client.get("/v2/" + name + "/tags/list?n=2&last=c");
        assertThat(new String(last.body(), StandardCharsets.UTF_8)).contains("[\"latest\"]");
        assertThat(last.headers().firstValue("Link")).isEmpty();
        assertThat(client.get("/v2/proto/none/tags/list").statusCode()).isEqualTo(404);
    }

    @Test
    void listsTheCatalogWithPagination() {
        client.pushImage("proto/catalog-a", "t", "ca");
        client.pushImage("proto/catalog-b", "t", "cb");
        String all = new String(client.get("/v2/_catalog").body(), StandardCharsets.UTF_8);
        assertThat(all).contains("\"proto/catalog-a\"", "\"proto/catalog-b\"");
        Response page = client.get("/v2/_catalog?n=1&last=proto/catalog-a");
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).isEqualTo("{\"repositories\":[\"proto/catalog-b\"]}");
        assertThat(page.headers().firstValue("Link")).hasValueSatisfying(link -> assertThat(link).startsWith("</v2/_catalog?n=1&last="));
    }

    @Test
    void deletesTagsManifestsAndBlobs() {
        String name = "proto/delete";
        TestImage image = client.pushImage(name, "one", "delete");
        client.pushManifest(name, "two", OCI_MANIFEST, image.manifestText());

        assertThat(client.send("DELETE", "/v2/" + name + "/manifests/one").statusCode()).isEqualTo(202);
        assertThat(client.get("/v2/" + name + "/manifests/one").statusCode()).isEqualTo(404);
        assertThat(client.get("/v2/" + name + "/manifests/" + image.manifestDigest()).statusCode()).isEqualTo(200);

        Response referenced = client.send("DELETE", "/v2/" + name + "/blobs/" + image.layerDigest());
        assertThat(referenced.statusCode()).isEqualTo(405);
        assertThat(new String(referenced.body(), StandardCharsets.UTF_8)).contains("UNSUPPORTED");

        assertThat(client.send("DELETE", "/v2/" + name + "/manifests/" + image.manifestDigest()).statusCode()).isEqualTo(202);
        assertThat(client.get("/v2/" + name + "/manifests/" + image.manifestDigest()).statusCode()).isEqualTo(404);
        assertThat(client.get("/v2/" + name + "/manifests/two").statusCode()).isEqualTo(404);
        assertThat(client.send("DELETE", "/v2/" + name + "/manifests/" + image.manifestDigest()).statusCode()).isEqualTo(404);

        assertThat(client.send("DELETE", "/v2/" + name + "/blobs/" + image.layerDigest()).statusCode()).isEqualTo(202);
        assertThat(client.get("/v2/" + name + "/blobs/" + image.layerDigest()).statusCode()).isEqualTo(404);
        assertThat(client.send("DELETE", "/v2/" + name + "/blobs/" + image.layerDigest()).statusCode()).isEqualTo(404);
    }

    @Test
    void acceptsTheSameManifestPushedConcurrently() throws Exception {
        String name = "proto/concurrent";
        TestImage seed = client.pushImage(name, "seed", "concurrent");
        String fresh = seed.manifestText().replace("\"layers\"", "\"annotations\":{\"fresh\":\"yes\"},\"layers\"");
        Digest freshDigest = Digest.sha256(fresh.getBytes(StandardCharsets.UTF_8));
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(8);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String tag = i % 2 == 0 ? "same" : "tag-" + i;
                statuses.add(pool.submit(() -> {
                    start.await();
                    return client.send("PUT", "/v2/" + name + "/manifests/" + tag,
                        fresh.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", OCI_MANIFEST)).statusCode();
                }));
            }
            for (var status : statuses) {
                assertThat(status.get()).isEqualTo(201);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM manifest WHERE digest = ?", Long.class, freshDigest.toString()))
            .isEqualTo(1);
        assertThat(client.get("/v2/" + name + "/manifests/same").statusCode()).isEqualTo(200);
    }

    @Test
    void servesNestedRepositoryNames() {
        TestImage image = client.pushImage("proto/a/b/c/d", "v1", "nested");
        assertThat(client.get("/v2/proto/a/b/c/d/manifests/v1").statusCode()).isEqualTo(200);
        TestImage tricky = client.pushImage("proto/manifests/blobs", "v1", "tricky");
        assertThat(client.get("/v2/proto/manifests/blobs/manifests/v1").headers().firstValue("Docker-Content-Digest"))
            .contains(tricky.manifestDigest());
        assertThat(image.manifestDigest()).isNotEqualTo(tricky.manifestDigest());
    }
}
