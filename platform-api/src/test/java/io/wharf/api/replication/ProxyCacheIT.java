package io.wharf.api.replication;

import io.wharf.replication.proxy.ProxyStatistics;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proxy-cache projects (issue #9): a project bound to a Docker Hub endpoint serves
 * what it does not hold from the emulator and keeps it; tags are revalidated by HEAD once per TTL;
 * a pull by digest of cached content asks nothing upstream; an upstream that errors or answers 429
 * leaves cached content served; concurrent first pulls of a blob make one upstream download; pushes
 * are refused. The project summary shows the upstream and what the cache served (issue #9, statistics).
 */
@Import(ReplicationIntegrationTest.Beans.class)
class ProxyCacheIT extends ReplicationIntegrationTest {

    static final DockerHubEmulator HUB = new DockerHubEmulator(CLOCK);

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) {
        registry.add("wharf.replication.docker-hub-api-url", () -> HUB.hubApiUrl().toString());
        registry.add("wharf.proxy.tag-ttl", () -> "10m");
    }

    @AfterAll
    static void stopHub() {
        HUB.close();
    }

    @Autowired
    ProxyStatistics statistics;

    String project;
    long registryId;

    /** An anonymous client that goes through the token flow, as docker does. */
    io.wharf.testkit.RegistryClient anonymous() {
        return http.anonymous().withTokenFlow();
    }

    @BeforeEach
    void proxyProject() {
        HUB.unlimited();
        Response registry = http.as(ADMIN).post("/api/v2.0/registries",
            ReplicationApiIT.registry(unique("hub"), "docker-hub", HUB.registryUrl().toString(), "", ""));
        assertThat(registry.status()).as("%s", registry).isEqualTo(201);
        registryId = idFromLocation(registry);
        project = unique("proxy");
        Response created = http.as(ADMIN).post("/api/v2.0/projects", Map.of("project_name", project,
            "metadata", Map.of("public", "true"), "registry_id", idFromLocation(registry)));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + project).json().path("registry_id").asLong())
            .isEqualTo(idFromLocation(registry));
    }

    @Test
    void pullsThroughOnceThenFromTheCacheAndStaleWhenTheUpstreamFails() {
        TestImage image = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 600, 2000, 3000);
        String digest = HUB.push("library/web" + project, "1.0", image);
        String repo = project + "/web" + project; // Docker Hub single names get library/
        HUB.clearRequests();

        Response cold = anonymous().getManifest(repo, "1.0", TestImage.OCI_MANIFEST);
        String config = image.configDigest();
        Response blobHead = anonymous().send("HEAD", "/v2/" + repo + "/blobs/" + config);
        assertThat(blobHead.status()).as("a HEAD on an uncached blob asks the upstream: %s", blobHead).isEqualTo(200);
        assertThat(blobHead.header("Content-Length")).contains(String.valueOf(image.config().length));
        assertThat(HUB.count(DockerHubEmulator.Role.CDN, "GET", ".*")).as("nothing downloaded for a HEAD").isZero();
        assertThat(cold.status()).as("%s", cold).isEqualTo(200);
        assertThat(cold.header("Docker-Content-Digest")).contains(digest);
        assertThat(cold.body()).isEqualTo(image.manifest());
        for (byte[] blob : image.blobs()) {
            Response read = anonymous().getBlob(repo, TestImage.Blob.of(blob).digest());
            assertThat(read.status()).as("%s", read).isEqualTo(200);
            assertThat(read.body()).isEqualTo(blob);
        }
        long blobGets = HUB.count(DockerHubEmulator.Role.CDN, "GET", ".*") + HUB.count(DockerHubEmulator.Role.REGISTRY, "GET", ".*/blobs/.*");
        assertThat(blobGets).as("each blob fetched once").isGreaterThanOrEqualTo(image.blobs().size());

        HUB.clearRequests();
        assertThat(anonymous().getManifest(repo, "1.0", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        assertThat(anonymous().getManifest(repo, digest, TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        for (byte[] blob : image.blobs()) {
            assertThat(anonymous().getBlob(repo, TestImage.Blob.of(blob).digest()).status()).isEqualTo(200);
        }
        assertThat(HUB.requests()).as("within the TTL and by digest: nothing upstream").isEmpty();

        // after the TTL a tag is revalidated by HEAD only; an upstream that fails leaves the cache served
        CLOCK.advance(Duration.ofMinutes(11));
        assertThat(anonymous().headManifest(repo, "1.0").header("Docker-Content-Digest")).contains(digest);
        assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "GET", ".*/manifests/.*")).as("HEAD only").isZero();
        assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "HEAD", ".*/manifests/.*")).isEqualTo(1);
        CLOCK.advance(Duration.ofMinutes(11));
        HUB.failNext(50);
        Response stale = anonymous().getManifest(repo, "1.0", TestImage.OCI_MANIFEST);
        assertThat(stale.status()).as("served stale: %s", stale).isEqualTo(200);
        assertThat(stale.header("Docker-Content-Digest")).contains(digest);
        HUB.failNext(0);
        CLOCK.advance(Duration.ofMinutes(11));
        HUB.rateLimit(0, Duration.ofHours(6));
        assertThat(anonymous().getManifest(repo, "1.0", TestImage.OCI_MANIFEST).status()).as("429 upstream: stale").isEqualTo(200);
        HUB.unlimited();
    }

    @Test
    void theSummaryShowsTheUpstreamAndCountsOfEveryNodeWithTheCacheSize() {
        TestImage image = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 640, 700, 1500);
        String digest = HUB.push("library/stats" + project, "1.0", image);
        String repo = project + "/stats" + project;
        JsonNode before = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/summary").json();
        assertThat(before.path("proxy_cache").path("hits").asLong()).as("%s", before).isZero();
        assertThat(before.path("proxy_cache").path("cache_size").asLong()).isZero();

        // cold: the manifest and every blob fetched
        assertThat(anonymous().getManifest(repo, "1.0", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        for (byte[] blob : image.blobs()) {
            assertThat(anonymous().getBlob(repo, TestImage.Blob.of(blob).digest()).status()).isEqualTo(200);
        }
        // warm: the tag within its TTL, the digest, every blob, all from the cache
        assertThat(anonymous().getManifest(repo, "1.0", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        assertThat(anonymous().getManifest(repo, digest, TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        for (byte[] blob : image.blobs()) {
            assertThat(anonymous().getBlob(repo, TestImage.Blob.of(blob).digest()).status()).isEqualTo(200);
        }
        // stale: past the TTL with the upstream failing
        CLOCK.advance(Duration.ofMinutes(11));
        HUB.failNext(50);
        assertThat(anonymous().getManifest(repo, "1.0", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        HUB.failNext(0);

        statistics.flush();
        int blobs = image.blobs().size();
        long stored = image.storedSize();
        Response summary = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/summary");
        assertThat(summary.status()).as("%s", summary).isEqualTo(200);
        JsonNode registry = summary.json().path("registry");
        assertThat(registry.path("id").asLong()).as("%s", summary).isEqualTo(registryId);
        assertThat(registry.path("type").asString()).isEqualTo("docker-hub");
        assertThat(registry.path("url").asString()).isEqualTo(HUB.registryUrl().toString());
        assertThat(registry.path("name").asString()).startsWith("hub");
        assertThat(registry.has("credential")).as("never credentials").isFalse();
        JsonNode stats = summary.json().path("proxy_cache");
        assertThat(stats.path("hits").asLong()).as("%s", stats).isEqualTo(2 + blobs);
        assertThat(stats.path("misses").asLong()).isEqualTo(1 + blobs);
        assertThat(stats.path("stale").asLong()).isEqualTo(1);
        assertThat(stats.path("coalesced").asLong()).isZero();
        assertThat(stats.path("fetched_bytes").asLong()).as("the manifest and every blob, once").isEqualTo(stored);
        assertThat(stats.path("cache_size").asLong()).isEqualTo(stored);
        assertThat(stats.path("hit_rate").asDouble()).isCloseTo((3.0 + blobs) / (4 + 2 * blobs), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(summary.json().path("repo_count").asLong()).isEqualTo(1);

        // the totals live in the database, the same for every node: what this node wrote, read back directly
        assertThat(jdbc.queryForMap("SELECT s.hits, s.misses, s.stale, s.coalesced, s.fetched_bytes FROM proxy_statistics s "
            + "JOIN project p ON p.id = s.project_id WHERE p.name = ?", project).values().stream().map(v -> ((Number) v).longValue()))
            .containsExactly(2L + blobs, 1L + blobs, 1L, 0L, stored);
        // another node's flush (the same increment) shows on this node, which keeps nothing of its own
        jdbc.update("UPDATE proxy_statistics SET hits = hits + 5, coalesced = coalesced + 2 "
            + "WHERE project_id = (SELECT id FROM project WHERE name = ?)", project);
        JsonNode anonymousView = http.anonymous().get("/api/v2.0/projects/" + project + "/summary").json();
        assertThat(anonymousView.path("proxy_cache").path("hits").asLong()).as("anyone who may pull: %s", anonymousView)
            .isEqualTo(7 + blobs);
        assertThat(anonymousView.path("proxy_cache").path("coalesced").asLong()).isEqualTo(2);
        assertThat(anonymousView.path("registry").path("id").asLong()).isEqualTo(registryId);
        assertThat(anonymousView.has("project_admin_count")).as("members stay hidden").isFalse();

        // an ordinary project has neither
        String plain = unique("plain");
        createProject(plain, true, ADMIN);
        JsonNode plainSummary = http.as(ADMIN).get("/api/v2.0/projects/" + plain + "/summary").json();
        assertThat(plainSummary.has("registry") || plainSummary.has("proxy_cache")).as("%s", plainSummary).isFalse();
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + plain).json().path("registry_id").isNull()).isTrue();
    }

    @Test
    void aMovedTagIsFetchedAgainAndWhatWasNeverCachedFailsClearly() {
        String repo = project + "/library/moving";
        HUB.push("library/moving", "latest", TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 610, 500));
        assertThat(anonymous().headManifest(repo, "latest").status()).isEqualTo(200);
        String moved = HUB.push("library/moving", "latest", TestImage.random(TestImage.Format.OCI,
            TestImage.Platform.of("linux", "amd64"), 611, 500));
        CLOCK.advance(Duration.ofMinutes(11));
        assertThat(anonymous().headManifest(repo, "latest").header("Docker-Content-Digest")).contains(moved);

        Response missing = anonymous().getManifest(repo, "nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("MANIFEST_UNKNOWN");
        HUB.failNext(50);
        Response down = anonymous().getManifest(project + "/library/never", "1");
        assertThat(down.status()).as("%s", down).isEqualTo(404);
        assertThat(down.text()).contains("upstream");
        HUB.failNext(0);
    }

    /**
     * A client is waiting: the upstream is asked once, never retried after a 5xx, a reset or a 429
     * (the retries of replication would keep a docker daemon waiting for tens of seconds, and on a
     * mirror it then falls back to Docker Hub). Stale content is served, or a clear 404 at once (R6, R9).
     */
    @Test
    void aWaitingClientGetsStaleContentOrAClearErrorAfterOneUpstreamAttempt() {
        TestImage image = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 630, 700);
        HUB.push("library/once" + project, "1", image);
        String repo = project + "/once" + project;
        assertThat(anonymous().getManifest(repo, "1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        String manifests = ".*/manifests/.*";

        // the JDK's HTTP client itself resends an idempotent request once when a pooled connection dies
        // before any response (a reset); Wharf adds no attempt of its own
        Map<Runnable, Integer> failures = new java.util.LinkedHashMap<>();
        failures.put(() -> HUB.failNext(50), 1);
        failures.put(() -> HUB.abuseLimitNext(50), 1);
        failures.put(() -> HUB.resetNext(50), 2);
        failures.forEach((failure, attempts) -> {
            CLOCK.advance(Duration.ofMinutes(11));
            HUB.clearRequests();
            failure.run();
            try {
                assertAttempts(repo, image, attempts);
            } finally {
                HUB.failNext(0).resetNext(0).abuseLimitNext(0);
            }
        });
        assertThat(anonymous().getBlob(repo, image.layerDigest()).body()).as("then fetched when the upstream is back")
            .isEqualTo(image.layer());
    }

    private void assertAttempts(String repo, TestImage image, int attempts) {
        String manifests = ".*/manifests/.*";
        Response stale = anonymous().getManifest(repo, "1", TestImage.OCI_MANIFEST);
        assertThat(stale.status()).as("served stale: %s", stale).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(image.manifest());
        assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "HEAD", manifests)
            + HUB.count(DockerHubEmulator.Role.REGISTRY, "GET", manifests)).as("one attempt: %s", HUB.requests()).isBetween(1L, (long) attempts);

        HUB.clearRequests();
        Response never = anonymous().getManifest(project + "/library/absent", "1");
        assertThat(never.status()).as("%s", never).isEqualTo(404);
        assertThat(never.errorCode()).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "HEAD", manifests)
            + HUB.count(DockerHubEmulator.Role.REGISTRY, "GET", manifests)).as("one attempt: %s", HUB.requests()).isBetween(1L, (long) attempts);

        HUB.clearRequests();
        Response blob = anonymous().getBlob(repo, image.layerDigest());
        assertThat(blob.status()).as("%s", blob).isEqualTo(404);
        assertThat(blob.errorCode()).isEqualTo("BLOB_UNKNOWN");
        assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "HEAD", ".*/blobs/.*") + HUB.count(DockerHubEmulator.Role.REGISTRY, "GET", ".*/blobs/.*")).as("one attempt: %s", HUB.requests()).isBetween(1L, (long) attempts);
    }

    @Test
    void concurrentFirstPullsOfABlobMakeOneUpstreamDownloadThatAllReadAsItArrives() throws Exception {
        TestImage image = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 620, 4 * 1024 * 1024);
        int layerSize = image.layer().length;
        HUB.push("library/big" + project, "1", image);
        String repo = project + "/big" + project;
        assertThat(anonymous().getManifest(repo, "1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        String layer = image.layerDigest();
        HUB.clearRequests();
        DockerHubEmulator.Hold hold = HUB.holdBlobBody(layerSize / 4);
        String token = http.anonymous().tokenFor("repository:" + repo + ":pull");

        // the first client reads the first bytes while the upstream is still sending them
        HttpResponse<InputStream> first = streamBlob(repo, layer, token);
        hold.awaitHeld();
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValueAsLong("Content-Length")).hasValue(layerSize);
        byte[] head = first.body().readNBytes(layerSize / 8);
        assertThat(head).as("streamed before the download ended").isEqualTo(java.util.Arrays.copyOf(image.layer(), layerSize / 8));

        // twenty more join the same download
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<byte[]>> pulls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                pulls.add(pool.submit(() -> {
                    HttpResponse<InputStream> response = streamBlob(repo, layer, token);
                    assertThat(response.statusCode()).isEqualTo(200);
                    try (InputStream body = response.body()) {
                        return body.readAllBytes();
                    }
                }));
            }
            hold.release();
            byte[] rest = first.body().readAllBytes();
            assertThat(TestImage.Blob.of(concat(head, rest)).digest()).isEqualTo(layer);
            for (Future<byte[]> pull : pulls) {
                assertThat(TestImage.Blob.of(pull.get()).digest()).isEqualTo(layer);
            }
        } finally {
            hold.release();
            pool.shutdownNow();
        }
        assertThat(HUB.count(DockerHubEmulator.Role.CDN, "GET", ".*" + layer.substring(7) + ".*"))
            .as("one download for twenty-one first pulls").isEqualTo(1);
        assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "HEAD", ".*/blobs/" + layer))
            .as("the joiners ask the upstream nothing: %s", HUB.requests()).isEqualTo(1);
        assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "GET", ".*/blobs/" + layer)).isEqualTo(1);
        HUB.clearRequests();
        Response cached = anonymous().getBlob(repo, layer);
        assertThat(TestImage.Blob.of(cached.body()).digest()).isEqualTo(layer);
        Response range = anonymous().send("GET", "/v2/" + repo + "/blobs/" + layer, null, "Range", "bytes=100-199");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(image.layer(), 100, 200));
        assertThat(HUB.requests()).as("then served from the cache").isEmpty();

        statistics.flush();
        JsonNode stats = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/summary").json().path("proxy_cache");
        assertThat(stats.path("misses").asLong()).as("the manifest and the one download: %s", stats).isEqualTo(2);
        assertThat(stats.path("hits").asLong() + stats.path("coalesced").asLong())
            .as("twenty joined the download or, once it was stored, read the cache; then two reads of the cache: %s", stats)
            .isEqualTo(22);
        assertThat(stats.path("fetched_bytes").asLong()).isEqualTo(image.manifest().length + layerSize);
    }

    @Test
    void aCorruptUpstreamBlobIsNeverServedWholeNorCachedAndACutDownloadResumes() throws Exception {
        TestImage image = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 621, 256 * 1024);
        int layerSize = image.layer().length;
        HUB.push("library/bad" + project, "1", image);
        String repo = project + "/bad" + project;
        String layer = image.layerDigest();
        HUB.corruptBlobBodies(1);
        String token = http.anonymous().tokenFor("repository:" + repo + ":pull");
        HttpResponse<InputStream> corrupt = streamBlob(repo, layer, token);
        byte[] got;
        try (InputStream body = corrupt.body()) {
            got = body.readAllBytes();
        } catch (IOException cut) {
            got = null; // the connection was dropped: what a client sees when a response cannot be finished
        }
        if (got != null && corrupt.statusCode() == 200) {
            assertThat(got.length).as("a body cut short, never a whole unverified one").isLessThan(layerSize);
        }

        // nothing was cached: the next pull downloads again, cut halfway and resumed with Range
        HUB.clearRequests();
        HUB.cutBlobBodies(layerSize / 2, 1);
        Response good = anonymous().getBlob(repo, layer);
        assertThat(good.status()).as("%s", good).isEqualTo(200);
        assertThat(TestImage.Blob.of(good.body()).digest()).isEqualTo(layer);
        assertThat(HUB.requests(DockerHubEmulator.Role.CDN)).as("a second GET resumes where the first was cut")
            .hasSize(2).last().satisfies(resumed -> assertThat(Long.parseLong(resumed.header("Range").orElseThrow()
                .replaceAll("bytes=(\\d+)-", "$1"))).as("from what arrived (what was in flight is lost)").isBetween(1L, (long) layerSize / 2));
    }

    private HttpResponse<InputStream> streamBlob(String repo, String digest, String token) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http.base() + "/v2/" + repo + "/blobs/" + digest))
            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void pushesIntoAProxyCacheProjectAreRefused() {
        TestImage image = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 630, 100);
        // as docker pushes: a token for pull and push (only pull is granted), then the upload and the manifest
        for (io.wharf.testkit.RegistryClient client : List.of(http.as(ADMIN).withTokenFlow(), http.as(ADMIN))) {
            Response upload = client.startUpload(project + "/mine");
            assertThat(upload.status()).as("%s", upload).isEqualTo(403);
            assertThat(upload.errorCode()).isEqualTo("DENIED");
            assertThat(upload.text()).contains("proxy cache");
            Response manifest = client.putManifest(project + "/mine", "1", TestImage.OCI_MANIFEST, image.manifest());
            assertThat(manifest.status()).as("%s", manifest).isEqualTo(403);
            assertThat(manifest.errorCode()).isEqualTo("DENIED");
            Response delete = client.deleteManifest(project + "/mine", "1");
            assertThat(delete.status()).as("%s", delete).isEqualTo(403);
        }
        Response anonymous = http.anonymous().startUpload(project + "/mine");
        assertThat(anonymous.status()).as("anonymous callers are sent for credentials first").isEqualTo(401);
        assertThat(http.as(ADMIN).getManifest(project + "/mine", "1").status()).as("nothing written").isEqualTo(404);
    }
}
