package io.wharf.api.system;

import io.wharf.api.accounts.AccountsIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.core.gc.GarbageCollector;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.StoragePaths;
import io.wharf.core.storage.driver.StorageDriver;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.MutableClock;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Garbage collection through Harbor's {@code /api/v2.0/system/gc} on real PostgreSQL: what a run frees
 * and what the grace period keeps, the dry run, {@code delete_untagged}, history and log, the schedule on
 * Quartz, bad inputs, who may do it, and the per-repository step quotas rely on. Time is a
 * {@link MutableClock}: moving it past the grace period makes what was used before collectable.
 */
@Import(GcIT.Beans.class)
class GcIT extends AccountsIntegrationTest {

    static final MutableClock CLOCK = new MutableClock();
    static final Duration PAST_GRACE = Duration.ofHours(2);

    @TestConfiguration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return CLOCK;
        }

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    StorageDriver driver;

    @Autowired
    Scheduler scheduler;

    @Autowired
    GarbageCollector collector;

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void asAdmin() {
        http = http.as(ADMIN);
    }

    @Test
    void freesWhatNoManifestReferencesAndKeepsWhatWasUsedWithinTheGracePeriod() throws Exception {
        String repo = project() + "/app";
        TestImage kept = TestImage.simple(repo + " kept");
        TestImage dropped = TestImage.simple(repo + " dropped");
        http.push(repo, "kept", kept);
        http.push(repo, "dropped", dropped);
        http.deleteManifest(repo, dropped.manifestDigest()).expect(202);
        String neverReferenced = http.pushBlob(repo, bytes("uploaded, no manifest came"));
        CLOCK.advance(PAST_GRACE);
        String justUploaded = http.pushBlob(repo, bytes("uploaded a moment ago, its manifest is on its way"));

        JsonNode run = runAndWait(Map.of());

        assertThat(run.path("job_status").asString()).isEqualTo("Success");
        assertThat(run.path("blobs_deleted").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(run.path("freed_bytes").asLong()).isGreaterThanOrEqualTo(dropped.layer().length + dropped.config().length
            + dropped.manifest().length);
        for (String gone : List.of(dropped.layerDigest(), dropped.configDigest(), dropped.manifestDigest(), neverReferenced)) {
            assertThat(blobRow(gone)).as(gone).isZero();
            assertThat(driver.exists(StoragePaths.blob(Digest.parse(gone)))).as(gone).isFalse();
        }
        assertThat(http.getBlob(repo, neverReferenced).status()).isEqualTo(404);
        assertThat(http.getBlob(repo, justUploaded).expect(200).body()).isEqualTo(bytes("uploaded a moment ago, its manifest is on its way"));
        assertPullable(repo, kept);
        // the manifest that was on its way arrives after the run: its blob is still linked
        byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"late\":true}");
        String configDigest = http.pushBlob(repo, config);
        String late = TestImage.imageManifest(TestImage.OCI_MANIFEST, TestImage.OCI_CONFIG, configDigest, config.length,
            TestImage.OCI_LAYER_TAR, justUploaded, bytes("uploaded a moment ago, its manifest is on its way").length, "");
        assertThat(http.putManifest(repo, "late", TestImage.OCI_MANIFEST, bytes(late)).status()).isEqualTo(201);
    }

    @Test
    void aDryRunDeletesNothingAndReportsWhatTheNextRunFrees() throws Exception {
        Map<String, Double> metersBefore = gcMeters();
        String repo = project() + "/app";
        TestImage image = TestImage.simple(repo + " dry");
        http.push(repo, "1", image);
        http.deleteManifest(repo, image.manifestDigest()).expect(202);
        byte[] stray = bytes("bytes of a blob whose row a crash never wrote " + UUID.randomUUID());
        String strayPath = StoragePaths.blob(Digest.sha256(stray));
        driver.write(strayPath, new ByteArrayInputStream(stray));
        String staleIngest = "ingest/" + UUID.randomUUID();
        driver.write(staleIngest, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        JsonNode first = runAndWait(Map.of()); // first sees the stray objects
        CLOCK.advance(PAST_GRACE);

        JsonNode dry = runAndWait(Map.of("dry_run", true));
        assertThat(dry.path("job_parameters").asString()).contains("\"dry_run\":true");
        assertThat(blobRow(image.layerDigest())).isOne();
        assertThat(driver.exists(StoragePaths.blob(Digest.parse(image.layerDigest())))).isTrue();
        assertThat(driver.exists(strayPath)).isTrue();
        assertThat(driver.exists(staleIngest)).isTrue();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM repository_blob l JOIN repository r ON r.id = l.repository_id "
            + "WHERE r.name = ?", Long.class, repo)).isEqualTo(2);

        JsonNode real = runAndWait(Map.of());
        for (String field : List.of("manifests_deleted", "links_deleted", "blobs_deleted", "objects_deleted", "freed_bytes")) {
            assertThat(real.path(field).asLong()).as(field).isEqualTo(dry.path(field).asLong());
        }
        assertThat(real.path("links_deleted").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(real.path("objects_deleted").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(real.path("freed_bytes").asLong()).isGreaterThanOrEqualTo(stray.length + 3L + image.layer().length);
        assertThat(blobRow(image.layerDigest())).isZero();
        assertThat(driver.exists(strayPath)).isFalse();
        assertThat(driver.exists(staleIngest)).isFalse();

        // the node counts a run after it recorded its end: wait for the last count, then compare exactly
        waitFor(() -> gcMeters().get("success") >= metersBefore.get("success") + 2 ? true : null);
        Map<String, Double> metersAfter = gcMeters();
        assertThat(metersAfter.get("success") - metersBefore.get("success")).as("real runs").isEqualTo(2);
        assertThat(metersAfter.get("dry_run") - metersBefore.get("dry_run")).as("dry runs").isEqualTo(1);
        assertThat(metersAfter.get("error") - metersBefore.get("error")).as("failed runs").isZero();
        assertThat(metersAfter.get("freed") - metersBefore.get("freed")).as("bytes the real runs freed")
            .isEqualTo((double) (first.path("freed_bytes").asLong() + real.path("freed_bytes").asLong()))
            .isGreaterThanOrEqualTo(stray.length + 3.0 + image.layer().length);
    }

    @Test
    void quotaUsageAfterARealCollectionDropsByWhatItFreedAndKeepsWhatIsStillReferenced() {
        String project = unique("gcquota");
        Response created = http.post("/api/v2.0/projects", Map.of("project_name", project, "storage_limit", 10_000_000));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        Response quotas = http.get("/api/v2.0/quotas?reference=project&reference_id=" + idFromLocation(created)).expect(200);
        long quota = quotas.json().path(0).path("id").asLong();
        String repo = project + "/app";
        byte[] layer = bytes("a layer both images use " + UUID.randomUUID());
        byte[] keptConfig = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"kept\":true}");
        byte[] droppedConfig = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"dropped\":true}");
        String kept = pushImage(repo, "kept", keptConfig, layer);
        String dropped = pushImage(repo, "dropped", droppedConfig, layer);
        long keptBytes = layer.length + keptConfig.length + bytes(kept).length;
        assertThat(usedStorage(quota)).isEqualTo(keptBytes + droppedConfig.length + bytes(dropped).length);
        http.deleteManifest(repo, TestImage.sha256(bytes(dropped))).expect(202);
        // a delete frees its manifest; the dropped image's config stays linked until a collection
        assertThat(usedStorage(quota)).isEqualTo(keptBytes + droppedConfig.length);
        CLOCK.advance(PAST_GRACE);

        JsonNode run = runAndWait(Map.of());

        assertThat(run.path("freed_bytes").asLong()).isGreaterThanOrEqualTo(droppedConfig.length);
        assertThat(blobRow(TestImage.sha256(droppedConfig))).isZero();
        // the shared layer is still referenced by the kept image: it stays, and stays counted
        assertThat(usedStorage(quota)).isEqualTo(keptBytes);
        assertThat(http.getBlob(repo, TestImage.sha256(layer)).expect(200).body()).isEqualTo(layer);
    }

    @Test
    void deleteUntaggedKeepsIndexChildrenSubjectsAndReferrers() {
        String repo = project() + "/multi";
        TestImage amd = TestImage.simple(repo + " amd64");
        TestImage arm = TestImage.simple(repo + " arm64");
        http.push(repo, amd.manifestDigest(), amd);
        http.push(repo, arm.manifestDigest(), arm);
        TestImage.Blob index = TestImage.index(TestImage.Format.OCI, Map.of(
            TestImage.Platform.of("linux", "amd64"), amd, TestImage.Platform.of("linux", "arm64"), arm));
        http.pushManifest(repo, "multi", index.mediaType(), index.content());
        TestImage untagged = TestImage.simple(repo + " untagged");
        http.push(repo, untagged.manifestDigest(), untagged);
        TestImage tagged = TestImage.simple(repo + " tagged");
        http.push(repo, "tagged", tagged);
        TestImage subject = TestImage.simple(repo + " untagged subject");
        http.push(repo, subject.manifestDigest(), subject);
        http.pushBlob(repo, "{}".getBytes(StandardCharsets.UTF_8));
        List<String> referrers = new ArrayList<>();
        for (TestImage of : List.of(tagged, subject)) {
            TestImage.Blob sbom = TestImage.artifact("application/spdx+json", of.descriptor(), Map.of());
            http.pushManifest(repo, sbom.digest(), sbom.mediaType(), sbom.content());
            referrers.add(sbom.digest());
        }
        CLOCK.advance(PAST_GRACE);

        JsonNode kept = runAndWait(Map.of("delete_untagged", false));
        assertThat(kept.path("manifests_deleted").asLong()).isZero();
        assertThat(http.getManifest(repo, untagged.manifestDigest()).status()).isEqualTo(200);

        JsonNode run = runAndWait(Map.of("delete_untagged", true));

        assertThat(run.path("manifests_deleted").asLong()).isEqualTo(1);
        assertThat(http.getManifest(repo, untagged.manifestDigest()).status()).isEqualTo(404);
        assertThat(blobRow(untagged.layerDigest())).isZero();
        for (String digest : List.of(amd.manifestDigest(), arm.manifestDigest(), index.digest(), tagged.manifestDigest(),
                subject.manifestDigest(), referrers.get(0), referrers.get(1))) {
            assertThat(http.getManifest(repo, digest).status()).as(digest).isEqualTo(200);
        }
        assertPullable(repo, amd);
        assertPullable(repo, arm);
        // through core's deletion: the audit log has it, as for any delete
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_log WHERE operation = 'delete' AND resource LIKE ?",
            Long.class, "%" + untagged.manifestDigest())).isOne();
        assertThat(http.get("/api/v2.0/system/gc/" + run.path("id").asLong() + "/log").text())
            .contains("untagged manifest " + repo + "@" + untagged.manifestDigest() + " deleted");
    }

    @Test
    void historyAndLogArePagedAndForSystemAdministratorsOnly() {
        runAndWait(Map.of());
        runAndWait(Map.of("dry_run", true));
        Response history = http.get("/api/v2.0/system/gc?page=1&page_size=1").expect(200);
        long total = Long.parseLong(history.headerValue("X-Total-Count"));
        assertThat(total).isGreaterThanOrEqualTo(2);
        assertThat(history.headerValue("Link")).contains("rel=\"next\"").contains("page=2");
        JsonNode newest = history.json().get(0);
        assertThat(newest.path("job_name").asString()).isEqualTo("GARBAGE_COLLECTION");
        assertThat(newest.path("job_kind").asString()).isEqualTo("MANUAL");
        assertThat(newest.path("schedule").path("type").asString()).isEqualTo("Manual");
        assertThat(newest.path("creation_time").asString()).endsWith("Z");
        assertThat(newest.path("update_time").asString()).endsWith("Z");
        long id = newest.path("id").asLong();
        Response log = http.get("/api/v2.0/system/gc/" + id + "/log").expect(200);
        assertThat(log.headerValue("Content-Type")).startsWith("text/plain");
        assertThat(log.text()).contains("garbage collection " + id + " (dry run)").contains("would be freed");

        String alice = unique("gc");
        createUser(alice);
        String project = unique("gcp");
        createProject(project, false, user(alice)); // alice is its Project Admin, not a system administrator
        for (Credentials who : List.of(Credentials.NONE, user(alice))) {
            int status = who == Credentials.NONE ? 401 : 403;
            String code = who == Credentials.NONE ? "UNAUTHORIZED" : "FORBIDDEN";
            var as = http.as(who);
            assertHarborError(as.get("/api/v2.0/system/gc"), status, code);
            assertHarborError(as.get("/api/v2.0/system/gc/" + id), status, code);
            assertHarborError(as.get("/api/v2.0/system/gc/" + id + "/log"), status, code);
            assertHarborError(as.get("/api/v2.0/system/gc/schedule"), status, code);
            assertHarborError(as.post("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Manual"))), status, code);
            assertHarborError(as.put("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Daily"))), status, code);
        }
        assertThat(Long.parseLong(http.get("/api/v2.0/system/gc").headerValue("X-Total-Count"))).isEqualTo(total);
        assertThat(http.get("/api/v2.0/system/gc/schedule").expect(200).json().path("schedule").path("type").asString())
            .isNotEqualTo("Daily");
    }

    @Test
    void theScheduleIsAQuartzTriggerAndItsFireRunsACollection() throws Exception {
        JsonNode set = http.put("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Custom", "cron", "0 30 2 * * 1"),
            "parameters", Map.of("delete_untagged", true, "workers", 2))).expect(200).json();
        assertThat(set.path("schedule").path("cron").asString()).isEqualTo("0 30 2 * * 1");
        JsonNode read = http.get("/api/v2.0/system/gc/schedule").expect(200).json();
        assertThat(read.path("schedule").path("type").asString()).isEqualTo("Custom");
        assertThat(read.path("schedule").path("next_scheduled_time").asString()).contains("T02:30:00");
        assertThat(read.path("job_parameters").asString()).isEqualTo("{\"delete_untagged\":true,\"dry_run\":false,\"workers\":2}");
        org.quartz.CronTrigger trigger = (org.quartz.CronTrigger) scheduler.getTrigger(TriggerKey.triggerKey("gc-schedule", "gc"));
        assertThat(trigger.getCronExpression()).isEqualTo("0 30 2 ? * 2");

        long before = latestId();
        scheduler.triggerJob(JobKey.jobKey("gc-schedule", "gc")); // a fire, now rather than next Monday
        JsonNode run = waitFor(() -> {
            long latest = latestId();
            JsonNode current = latest > before ? http.get("/api/v2.0/system/gc/" + latest).expect(200).json() : null;
            return current != null && List.of("Success", "Error").contains(current.path("job_status").asString()) ? current : null;
        });
        assertThat(run.path("job_kind").asString()).isEqualTo("SCHEDULE");
        assertThat(run.path("job_parameters").asString()).contains("\"delete_untagged\":true");
        assertThat(run.path("job_status").asString()).isEqualTo("Success");

        http.post("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Daily"))).expect(201);
        assertThat(((org.quartz.CronTrigger) scheduler.getTrigger(TriggerKey.triggerKey("gc-schedule", "gc")))
            .getCronExpression()).isEqualTo("0 0 0 * * ?");
        http.put("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "None"))).expect(200);
        assertThat(scheduler.checkExists(JobKey.jobKey("gc-schedule", "gc"))).isFalse();
        assertThat(http.get("/api/v2.0/system/gc/schedule").json().path("schedule").path("type").asString()).isEqualTo("None");
    }

    @Test
    void badInputsAreRefusedInHarborsShapeAndChangeNothing() {
        http.put("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Weekly"))).expect(200);
        long runs = latestId();

        assertHarborError(http.put("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Custom", "cron", "every day"))),
            400, "BAD_REQUEST");
        assertHarborError(http.put("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Custom", "cron", "0 0 0 * * 9"))),
            400, "BAD_REQUEST");
        assertHarborError(http.put("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Custom"))), 400, "BAD_REQUEST");
        assertHarborError(http.put("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Fortnightly"))), 400, "BAD_REQUEST");
        assertHarborError(http.put("/api/v2.0/system/gc/schedule", Map.of("parameters", Map.of("dry_run", true))), 400, "BAD_REQUEST");
        assertHarborError(http.put("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Manual"))), 400, "BAD_REQUEST");
        assertHarborError(http.post("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Manual"),
            "parameters", Map.of("workers", 9))), 400, "BAD_REQUEST");
        assertHarborError(http.post("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Manual"),
            "parameters", Map.of("workers", "many"))), 400, "BAD_REQUEST");
        assertHarborError(http.post("/api/v2.0/system/gc/schedule", "{\"schedule\":"), 400, "BAD_REQUEST");
        assertHarborError(http.get("/api/v2.0/system/gc/999999"), 404, "NOT_FOUND");
        assertHarborError(http.get("/api/v2.0/system/gc/999999/log"), 404, "NOT_FOUND");
        assertHarborError(http.get("/api/v2.0/system/gc/abc"), 400, "BAD_REQUEST");
        assertHarborError(http.get("/api/v2.0/system/gc?page=0"), 400, "BAD_REQUEST");

        assertThat(http.get("/api/v2.0/system/gc/schedule").json().path("schedule").path("type").asString()).isEqualTo("Weekly");
        assertThat(latestId()).isEqualTo(runs);
        http.put("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "None"))).expect(200);
    }

    @Test
    void aSecondRunIsRefusedWhileOneHoldsTheLock() {
        Long holder = jdbc.queryForObject("INSERT INTO gc_run (trigger_type, status, dry_run, delete_untagged, workers, log, "
            + "created_at, updated_at) VALUES ('Manual', 'Running', false, false, 1, '', ?, ?) RETURNING id", Long.class,
            java.sql.Timestamp.from(CLOCK.instant()), java.sql.Timestamp.from(CLOCK.instant()));
        jdbc.update("UPDATE gc_lock SET run_id = ? WHERE name = 'gc'", holder);
        try {
            assertHarborError(http.post("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Manual"))), 409, "CONFLICT");
            CLOCK.advance(PAST_GRACE); // the holder reported nothing for longer than wharf.gc.run-timeout: taken for dead
            runAndWait(Map.of());
        } finally {
            jdbc.update("UPDATE gc_run SET status = 'Error' WHERE id = ?", holder);
        }
    }

    @Test
    void unlinkingTheBlobsOfADeletedManifestLowersWhatTheProjectLinks() {
        String project = project();
        String repo = project + "/app";
        TestImage one = TestImage.simple(repo + " one");
        TestImage two = TestImage.simple(repo + " two");
        http.push(repo, "one", one);
        http.push(repo, "two", two);
        long linkedBefore = linkedBytes(project);
        http.deleteManifest(repo, two.manifestDigest()).expect(202);
        assertThat(linkedBytes(project)).isEqualTo(linkedBefore); // a delete frees nothing by itself

        assertThat(collector.unlinkUnreferenced(RepositoryName.of(repo), CLOCK.instant().plusMillis(1))).isEqualTo(2);

        assertThat(linkedBytes(project)).isEqualTo(linkedBefore - two.config().length - two.layer().length);
        assertPullable(repo, one);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private String project() {
        String name = unique("gc");
        createProject(name, false, ADMIN);
        return name;
    }

    /** Distinct blobs linked into the project's repositories: how quotas count usage. */
    private long linkedBytes(String project) {
        return jdbc.queryForObject("SELECT COALESCE(SUM(b.size), 0) FROM blob b WHERE b.digest IN (SELECT l.digest FROM "
            + "repository_blob l JOIN repository r ON r.id = l.repository_id WHERE r.project = ?)", Long.class, project);
    }

    /** Pushes an OCI image of {@code config} and {@code layer} as {@code repo:tag}; returns its manifest. */
    private String pushImage(String repo, String tag, byte[] config, byte[] layer) {
        http.pushBlob(repo, layer);
        http.pushBlob(repo, config);
        String manifest = TestImage.imageManifest(TestImage.OCI_MANIFEST, TestImage.OCI_CONFIG, TestImage.sha256(config), config.length,
            TestImage.OCI_LAYER_TAR, TestImage.sha256(layer), layer.length, "");
        http.pushManifest(repo, tag, TestImage.OCI_MANIFEST, manifest);
        return manifest;
    }

    /** {@code used.storage} of quota {@code quotaId}, as Harbor's API shows it. */
    private long usedStorage(long quotaId) {
        return http.get("/api/v2.0/quotas/" + quotaId).expect(200).json().path("used").path("storage").asLong();
    }

    /** This node's garbage collection meters: runs by outcome ({@code success}, {@code dry_run}, {@code error}) and {@code freed} bytes. */
    private Map<String, Double> gcMeters() {
        Map<String, Double> values = new java.util.HashMap<>();
        for (String outcome : List.of("success", "dry_run", "error")) {
            values.put(outcome, meters.get("wharf.gc.runs").tag("outcome", outcome).counter().count());
        }
        values.put("freed", meters.get("wharf.gc.freed").counter().count());
        return values;
    }

    private long blobRow(String digest) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM blob WHERE digest = ?", Long.class, digest);
    }

    private long latestId() {
        return jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM gc_run", Long.class);
    }

    private void assertPullable(String repo, TestImage image) {
        assertThat(Digest.sha256(http.getManifest(repo, image.manifestDigest()).expect(200).body()).toString())
            .isEqualTo(image.manifestDigest());
        assertThat(Digest.sha256(http.getBlob(repo, image.configDigest()).expect(200).body()).toString()).isEqualTo(image.configDigest());
        assertThat(Digest.sha256(http.getBlob(repo, image.layerDigest()).expect(200).body()).toString()).isEqualTo(image.layerDigest());
    }

    /** Starts a run as admin (type Manual) with {@code parameters}, and waits for it to end; returns it. */
    private JsonNode runAndWait(Map<String, Object> parameters) {
        Response started = http.post("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Manual"),
            "parameters", parameters)).expect(201);
        String location = started.headerValue("Location");
        assertThat(location).startsWith("/api/v2.0/system/gc/");
        JsonNode run = waitFor(() -> {
            JsonNode current = http.get(location).expect(200).json();
            String status = current.path("job_status").asString();
            return status.equals("Success") || status.equals("Error") ? current : null;
        });
        assertThat(run.path("job_status").asString()).as(http.get(location + "/log").text()).isEqualTo("Success");
        return run;
    }

    /** Polls {@code probe} until it answers, for at most 30 s (a run is asynchronous: a Quartz job). */
    private static <T> T waitFor(java.util.function.Supplier<T> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for the garbage collection");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
