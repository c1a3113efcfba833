package io.wharf.api.replication;

import io.wharf.replication.engine.ExecutionRunner;
import io.wharf.replication.execution.ReplicationFinished;
import io.wharf.testkit.MutableClock;
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

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pull replication from a Docker Hub emulator (token realm, Hub listing API, rate-limit headers,
 * blobs behind a CDN redirect): copies that pull back digest for digest, HEAD-only re-runs, filters
 * and platforms, the budget guard and 429s, stop, and resume. Time is a {@link MutableClock} that
 * the emulator and Wharf share; waits move it instead of sleeping, and the tests wait for
 * {@link ReplicationFinished}, not for time.
 */
@Import(ReplicationIntegrationTest.Beans.class)
class DockerHubReplicationIT extends ReplicationIntegrationTest {

    static final DockerHubEmulator HUB = new DockerHubEmulator(CLOCK);

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) {
        registry.add("wharf.replication.docker-hub-api-url", () -> HUB.hubApiUrl().toString());
        registry.add("wharf.replication.task-timeout", () -> "1h");
    }

    @AfterAll
    static void stopHub() {
        HUB.close();
    }

    @Autowired
    ExecutionRunner runner;

    long hubRegistry;

    @BeforeEach
    void registry() {
        HUB.unlimited();
        Response created = http.as(ADMIN).post("/api/v2.0/registries",
            ReplicationApiIT.registry(unique("hub"), "docker-hub", HUB.registryUrl().toString(), "", ""));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        hubRegistry = idFromLocation(created);
    }

    long policy(String project, List<Map<String, Object>> filters, Map<String, Object> extra) {
        Map<String, Object> body = pullPolicy(hubRegistry, project, 1, filters);
        body.put("concurrency", 1);
        body.putAll(extra);
        return createPolicy(body);
    }

    @Test
    void copiesFromDockerHubDigestForDigestAndAnUnchangedRerunCostsNoPull() throws Exception {
        String ns = unique("ns");
        TestImage app = TestImage.random(TestImage.Format.DOCKER, TestImage.Platform.of("linux", "amd64"), 1, 3000, 5000);
        TestImage old = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 2, 2000);
        String appDigest = HUB.push(ns + "/app", "1.0", app);
        String oldDigest = HUB.push(ns + "/app", "0.9", old);
        TestImage amd = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 3, 1000);
        TestImage arm = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "arm64"), 4, 1000);
        TestImage.Blob index = HUB.pushIndex(ns + "/tool", "latest", TestImage.Format.OCI,
            Map.of(TestImage.Platform.of("linux", "amd64"), amd, TestImage.Platform.of("linux", "arm64"), arm));
        String project = unique("mirror");
        createProject(project, true, ADMIN);
        long policy = policy(project, List.of(name(ns + "/**")), Map.of());

        HUB.clearRequests();
        JsonNode execution = run(policy);
        assertThat(execution.path("status").asString()).as("%s", execution).isEqualTo("Succeed");
        assertThat(execution.path("total").asInt()).isEqualTo(3);
        assertThat(execution.path("succeed").asInt()).isEqualTo(3);
        assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "GET", "/v2/_catalog")).as("never the catalog on Hub").isZero();
        assertThat(HUB.count(DockerHubEmulator.Role.HUB, "GET", ".*/repositories/" + ns + ".*")).isPositive();
        assertThat(HUB.cdnSawAuthorization()).as("no credentials to the CDN").isFalse();

        assertThat(http.as(ADMIN).headManifest(project + "/app", "1.0").header("Docker-Content-Digest")).contains(appDigest);
        assertThat(http.as(ADMIN).headManifest(project + "/app", "0.9").header("Docker-Content-Digest")).contains(oldDigest);
        Response tool = http.as(ADMIN).getManifest(project + "/tool", "latest", TestImage.OCI_INDEX);
        assertThat(tool.header("Docker-Content-Digest")).contains(index.digest());
        assertThat(tool.body()).isEqualTo(index.content());
        for (TestImage image : List.of(app, old, amd, arm)) {
            for (byte[] blob : image.blobs()) {
                String digest = TestImage.Blob.of(blob).digest();
                Response read = http.as(ADMIN).getBlob(project + "/" + (image == amd || image == arm ? "tool" : "app"), digest);
                assertThat(read.status()).as("%s", read).isEqualTo(200);
                assertThat(read.body()).isEqualTo(blob);
            }
        }
        JsonNode repository = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/repositories/app").json();
        assertThat(repository.path("pull_count").asLong()).as("replication reads and writes are not pulls").isZero();

        HUB.clearRequests();
        JsonNode again = run(policy);
        assertThat(again.path("status").asString()).isEqualTo("Succeed");
        assertThat(again.path("skipped").asInt()).as("%s", again).isEqualTo(3);
        assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "GET", ".*/manifests/.*")).as("no counted pull").isZero();
        assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "HEAD", ".*/manifests/.*")).isEqualTo(3);
        assertThat(HUB.count(DockerHubEmulator.Role.CDN, "GET", ".*")).isZero();
        JsonNode skipped = tasks(again.path("id").asLong()).get(0);
        assertThat(skipped.path("status").asString()).isEqualTo("Skipped");
        assertThat(log(again.path("id").asLong(), skipped.path("id").asLong())).contains("unchanged");
    }

    @Test
    void aReplicationIntoAFullProjectFailsItsTaskWithTheQuotaReasonAndStoresNothing() throws Exception {
        String ns = unique("ns");
        TestImage big = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 31, 6000);
        HUB.push(ns + "/big", "1.0", big);
        String project = unique("full");
        assertThat(http.as(ADMIN).post("/api/v2.0/projects", Map.of("project_name", project, "storage_limit", 2000)).status())
            .isEqualTo(201);
        long policy = policy(project, List.of(name(ns + "/**")), Map.of());

        JsonNode execution = run(policy);
        assertThat(execution.path("status").asString()).as("%s", execution).isEqualTo("Failed");
        JsonNode task = tasks(execution.path("id").asLong()).get(0);
        assertThat(task.path("status").asString()).isEqualTo("Failed");
        // the config fits and is copied; the layer does not
        assertThat(log(execution.path("id").asLong(), task.path("id").asLong()))
            .contains("quota exceeded: project '" + project + "' uses " + big.config().length + " of 2000 bytes, this blob needs "
                + big.layer().length + " more");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM blob WHERE digest = ?", Long.class, big.layerDigest()))
            .as("refused before it was stored").isZero();
        assertThat(http.as(ADMIN).headManifest(project + "/big", "1.0").status()).isEqualTo(404);
    }

    @Test
    void tagAndPlatformFiltersDecideWhatIsCopied() throws Exception {
        String ns = unique("ns");
        for (String tag : List.of("1.25.1", "1.25.2", "1.26.0", "latest")) {
            HUB.push(ns + "/web", tag, TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"),
                tag.hashCode(), 500));
        }
        TestImage amd = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 11, 800);
        TestImage arm = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "arm64"), 12, 800);
        TestImage.Blob index = HUB.pushIndex(ns + "/multi", "1.25.9", TestImage.Format.OCI,
            Map.of(TestImage.Platform.of("linux", "amd64"), amd, TestImage.Platform.of("linux", "arm64"), arm));
        String project = unique("mirror");
        createProject(project, false, ADMIN);
        long policy = policy(project, List.of(name(ns + "/{web,multi}"), Map.of("type", "tag", "value", "1.25*"),
            Map.of("type", "tag", "value", "1.25.2", "decoration", "excludes"),
            Map.of("type", "platform", "value", "linux/amd64")), Map.of());

        JsonNode execution = run(policy);
        assertThat(execution.path("status").asString()).as("%s", execution).isEqualTo("Succeed");
        assertThat(tasks(execution.path("id").asLong()).stream().map(t -> t.path("src_resource").asString()).toList())
            .containsExactlyInAnyOrder(ns + "/web:1.25.1", ns + "/multi:1.25.9");
        assertThat(http.as(ADMIN).headManifest(project + "/web", "1.25.2").status()).isEqualTo(404);
        assertThat(http.as(ADMIN).headManifest(project + "/web", "latest").status()).isEqualTo(404);

        Response filtered = http.as(ADMIN).getManifest(project + "/multi", "1.25.9", TestImage.OCI_INDEX);
        assertThat(filtered.status()).as("%s", filtered).isEqualTo(200);
        JsonNode children = filtered.json().path("manifests");
        assertThat(children.size()).isEqualTo(1);
        assertThat(children.get(0).path("platform").path("architecture").asString()).isEqualTo("amd64");
        assertThat(filtered.header("Docker-Content-Digest")).as("a filtered index is a new manifest").isPresent().isNotEqualTo(java.util.Optional.of(index.digest()));
        assertThat(filtered.json().path("annotations").path("io.wharf.replication.source-digest").asString())
            .as("the source digest is recorded").isEqualTo(index.digest());
        String stored = filtered.header("Docker-Content-Digest").orElseThrow();
        JsonNode bySource = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/repositories/multi/artifacts/" + index.digest()).json();
        assertThat(bySource.path("digest").asString()).as("the API finds the copy by its source digest").isEqualTo(stored);
        assertThat(http.as(ADMIN).headManifest(project + "/multi", index.digest()).status())
            .as("/v2 serves a digest's own bytes only").isEqualTo(404);
        assertThat(http.as(ADMIN).headManifest(project + "/multi", amd.manifestDigest()).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).headManifest(project + "/multi", arm.manifestDigest()).status()).as("dropped").isEqualTo(404);

        HUB.clearRequests();
        JsonNode again = run(policy);
        assertThat(again.path("skipped").asInt()).as("the recorded source digest makes it unchanged: %s", again).isEqualTo(2);
        assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "GET", ".*/manifests/.*")).isZero();
    }

    @Test
    void belowTheBudgetFloorTheExecutionPausesForTheWindowInsteadOfSpendingIt() throws Exception {
        String ns = unique("ns");
        for (int i = 0; i < 3; i++) {
            HUB.push(ns + "/lim", "v" + i, TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 100 + i, 300));
        }
        HUB.rateLimit(5, Duration.ofHours(6));
        String project = unique("mirror");
        createProject(project, false, ADMIN);
        long policy = policy(project, List.of(name(ns + "/lim")), Map.of("rate_limit_floor", 4));
        Instant before = CLOCK.instant();

        JsonNode execution = run(policy);
        assertThat(execution.path("status").asString()).as("%s", execution).isEqualTo("Succeed");
        assertThat(CLOCK.instant()).as("waited for the window").isAfterOrEqualTo(before.plus(Duration.ofHours(6)));
        List<JsonNode> tasks = tasks(execution.path("id").asLong());
        String logs = tasks.stream().map(t -> log(execution.path("id").asLong(), t.path("id").asLong()))
            .reduce("", String::concat);
        assertThat(logs).contains("delayed for rate limit");
        assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "GET", "/v2/" + ns + "/lim/manifests/.*")).isEqualTo(3);
        HUB.unlimited();
    }

    @Test
    void anAbuse429IsWaitedOutAsItsRetryAfterSays() throws Exception {
        String ns = unique("ns");
        String digest = HUB.push(ns + "/busy", "1", TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 200, 300));
        String project = unique("mirror");
        createProject(project, false, ADMIN);
        long policy = policy(project, List.of(name(ns + "/busy")), Map.of());
        Instant before = CLOCK.instant();
        HUB.abuseLimitNext(2);

        JsonNode execution = run(policy);
        assertThat(execution.path("status").asString()).as("%s", execution).isEqualTo("Succeed");
        assertThat(CLOCK.instant()).as("Retry-After: 60, twice").isAfterOrEqualTo(before.plusSeconds(120));
        assertThat(http.as(ADMIN).headManifest(project + "/busy", "1").header("Docker-Content-Digest")).contains(digest);
    }

    @Test
    void stopEndsAnExecutionThatIsWaitingAndItsPendingTasks() throws Exception {
        String ns = unique("ns");
        for (int i = 0; i < 3; i++) {
            HUB.push(ns + "/stop", "v" + i, TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 300 + i, 300));
        }
        HUB.rateLimit(2, Duration.ofHours(6));
        String project = unique("mirror");
        createProject(project, false, ADMIN);
        long policy = policy(project, List.of(name(ns + "/stop")), Map.of("rate_limit_floor", 2));
        holdPause = new CountDownLatch(1);
        HOLD.set(true);
        try {
            long execution = start(policy);
            assertThat(PAUSED.await(60, TimeUnit.SECONDS)).as("the execution paused for the budget").isTrue();
            assertThat(http.as(ADMIN).put("/api/v2.0/replication/executions/" + execution, Map.of()).status()).isEqualTo(200);
            holdPause.countDown();
            ReplicationFinished end = finished.await(execution);
            assertThat(end.status().id()).isEqualTo("Stopped");
            JsonNode json = http.as(ADMIN).get("/api/v2.0/replication/executions/" + execution).json();
            int succeeded = json.path("succeed").asInt();
            assertThat(json.path("stopped").asInt()).as("%s", json).isGreaterThanOrEqualTo(2);
            assertThat(json.path("stopped").asInt() + succeeded).as("%s", json).isEqualTo(3);
            assertThat(json.path("in_progress").asInt()).isZero();
            assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "GET", "/v2/" + ns + "/stop/manifests/.*"))
                .as("nothing was fetched after the stop").isEqualTo(succeeded);

            // the stopped tasks run again on request; what succeeded stays
            HUB.unlimited();
            finished.forget(execution);
            Response retried = http.as(ADMIN).post("/api/v2.0/replication/executions/" + execution + "/retry", Map.of());
            assertThat(retried.status()).as("%s", retried).isEqualTo(200);
            assertThat(finished.await(execution).status().id()).isEqualTo("Succeed");
            JsonNode after = http.as(ADMIN).get("/api/v2.0/replication/executions/" + execution).json();
            assertThat(after.path("succeed").asInt()).as("%s", after).isEqualTo(3);
            assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "GET", "/v2/" + ns + "/stop/manifests/.*")).isEqualTo(3);
            assertHarborError(http.as(ADMIN).post("/api/v2.0/replication/executions/" + execution + "/retry", Map.of()),
                412, "PRECONDITION");
        } finally {
            holdPause.countDown();
            HUB.unlimited();
        }
    }

    @Test
    void aResumedExecutionFinishesItsTasksWithoutMovingStoredBlobsAgain() throws Exception {
        String ns = unique("ns");
        TestImage image = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 400, 4000, 4000);
        String digest = HUB.push(ns + "/resume", "1", image);
        String project = unique("mirror");
        createProject(project, false, ADMIN);
        long policy = policy(project, List.of(name(ns + "/resume")), Map.of());
        // as if a node died mid-copy: the execution is planned, its task in progress, one layer stored already
        http.as(ADMIN).pushBlob(project + "/resume", image.layers().get(0));
        long execution = jdbc.queryForObject("INSERT INTO replication_execution (policy_id, trigger_type, status, planned, "
            + "stop_requested, start_time) VALUES (?, 'manual', 'InProgress', TRUE, FALSE, CURRENT_TIMESTAMP) RETURNING id",
            Long.class, policy);
        jdbc.update("INSERT INTO replication_task (execution_id, resource_type, operation, src_repository, dst_repository, "
            + "reference, status, attempts, start_time) VALUES (?, 'artifact', 'copy', ?, ?, '1', 'InProgress', 1, CURRENT_TIMESTAMP)",
            execution, ns + "/resume", project + "/resume");
        HUB.clearRequests();

        runner.run(execution, true);

        JsonNode json = http.as(ADMIN).get("/api/v2.0/replication/executions/" + execution).json();
        assertThat(json.path("status").asString()).as("%s", json).isEqualTo("Succeed");
        JsonNode task = tasks(execution).get(0);
        assertThat(task.path("attempts").asInt()).isEqualTo(2);
        assertThat(http.as(ADMIN).headManifest(project + "/resume", "1").header("Docker-Content-Digest")).contains(digest);
        String stored = TestImage.Blob.of(image.layers().get(0)).digest();
        assertThat(HUB.requests().stream().filter(r -> r.path().endsWith(stored)).toList())
            .as("the stored layer is not fetched again").isEmpty();
        assertThat(task.path("bytes").asLong()).as("only the missing layer and the config moved")
            .isEqualTo(image.layers().get(1).length + image.config().length);
    }

    @Test
    void aPolicysBandwidthLimitPacesItsCopiesAndATaskThatRunsOutOfTimeFails() throws Exception {
        String ns = unique("ns");
        TestImage small = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 500, 8 * 1024);
        HUB.push(ns + "/slow", "small", small);
        String project = unique("mirror");
        createProject(project, false, ADMIN);
        long policy = policy(project, List.of(name(ns + "/slow"), Map.of("type", "tag", "value", "small")), Map.of("speed", 1));
        Instant before = CLOCK.instant();
        JsonNode paced = run(policy);
        assertThat(paced.path("status").asString()).as("%s", paced).isEqualTo("Succeed");
        long bytes = tasks(paced.path("id").asLong()).get(0).path("bytes").asLong();
        assertThat(Duration.between(before, CLOCK.instant())).as("%d bytes at 1 KiB/s", bytes)
            .isGreaterThanOrEqualTo(Duration.ofSeconds(bytes / 1024 - 1));

        // 4 MiB at 1 KiB/s would take over an hour, longer than this context's task-timeout
        HUB.push(ns + "/slow", "large", TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 501,
            4 * 1024 * 1024));
        long large = policy(project, List.of(name(ns + "/slow"), Map.of("type", "tag", "value", "large")), Map.of("speed", 1));
        JsonNode timedOut = run(large);
        assertThat(timedOut.path("status").asString()).as("%s", timedOut).isEqualTo("Failed");
        JsonNode task = tasks(timedOut.path("id").asLong()).get(0);
        assertThat(task.path("error").asString()).contains("ran out of time");
        assertThat(http.as(ADMIN).headManifest(project + "/slow", "large").status()).as("nothing half-written").isEqualTo(404);
    }
}
