package io.wharf.api.system;

import io.wharf.api.WharfNodes;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.testing.TestProjects;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one database and one store (no grace period here: nothing is pushed while they
 * collect): starting a collection on both at once runs one collection at a time, every garbage blob is
 * deleted exactly once and nothing referenced goes; the schedule set on one node is the other's, and a
 * fire of it on both runs one collection at a time.
 */
class GcTwoNodeIT {

    private static WharfNodes nodes;
    private static RegistryClient nodeA;
    private static RegistryClient nodeB;

    @BeforeAll
    static void startTwoNodesWithoutGracePeriod() throws Exception {
        nodes = WharfNodes.start(2, TestAccounts.argument(), "--wharf.gc.grace-period=0s");
        RegistryClient[] admins = {null, null};
        for (int i = 0; i < admins.length; i++) {
            admins[i] = RegistryClient.forPort(nodes.port(i)).asAdmin();
        }
        nodeA = admins[0];
        nodeB = admins[1];
        TestProjects.ensure(nodes.node(1).getBean(ProjectService.class), "gcnodes");
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    @Test
    void collectionsStartedOnBothNodesAtOnceRunOneAtATimeAndDeleteEachBlobOnce() throws Exception {
        TestImage kept = nodeA.pushImage("gcnodes/app", "kept", "two nodes kept");
        TestImage dropped = nodeA.pushImage("gcnodes/app", "dropped", "two nodes dropped");
        nodeB.deleteManifest("gcnodes/app", dropped.manifestDigest()).expect(202);
        List<String> garbage = new ArrayList<>(List.of(dropped.configDigest(), dropped.layerDigest(), dropped.manifestDigest()));
        for (int i = 0; i < 12; i++) {
            garbage.add((i % 2 == 0 ? nodeA : nodeB).pushBlob("gcnodes/loose", ("loose blob " + i).getBytes(StandardCharsets.UTF_8)));
        }

        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<Response>> starts = new ArrayList<>();
        for (RegistryClient node : List.of(nodeA, nodeB)) {
            starts.add(CompletableFuture.supplyAsync(() -> {
                await(together);
                return node.post("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Manual")));
            }));
        }
        List<String> accepted = new ArrayList<>();
        for (CompletableFuture<Response> start : starts) {
            Response response = start.get();
            assertThat(response.status()).as("%s", response).isIn(201, 409);
            if (response.status() == 201) {
                accepted.add(response.headerValue("Location"));
            }
        }
        assertThat(accepted).isNotEmpty();
        long deleted = 0;
        for (String run : accepted) {
            deleted += finished(nodeB, run).path("blobs_deleted").asLong();
        }

        assertThat(deleted).as("each garbage blob deleted once").isEqualTo(garbage.size());
        JdbcTemplate jdbc = nodes.node(0).getBean(JdbcTemplate.class);
        for (String digest : garbage) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM blob WHERE digest = ?", Long.class, digest)).isZero();
        }
        for (RegistryClient node : List.of(nodeA, nodeB)) {
            assertThat(node.getManifest("gcnodes/app", "kept").expect(200).body()).isEqualTo(kept.manifest());
            assertThat(node.getBlob("gcnodes/app", kept.layerDigest()).expect(200).body()).isEqualTo(kept.layer());
            assertThat(node.getBlob("gcnodes/app", dropped.layerDigest()).status()).isEqualTo(404);
        }
        assertOneAtATime(jdbc);
    }

    @Test
    void theScheduleIsSharedAndAFireOnBothNodesRunsOneCollectionAtATime() throws Exception {
        nodeA.put("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Hourly"))).expect(200);
        assertThat(nodeB.get("/api/v2.0/system/gc/schedule").expect(200).json().path("schedule").path("type").asString())
            .isEqualTo("Hourly");
        Scheduler onA = nodes.node(0).getBean(Scheduler.class);
        Scheduler onB = nodes.node(1).getBean(Scheduler.class);
        assertThat(onB.getTrigger(TriggerKey.triggerKey("gc-schedule", "gc"))).isNotNull();
        JdbcTemplate jdbc = nodes.node(1).getBean(JdbcTemplate.class);
        long before = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM gc_run", Long.class);

        onA.triggerJob(JobKey.jobKey("gc-schedule", "gc"));
        onB.triggerJob(JobKey.jobKey("gc-schedule", "gc"));

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (jdbc.queryForObject("SELECT COUNT(*) FROM gc_run WHERE id > ? AND trigger_type = 'Schedule' "
            + "AND status IN ('Success', 'Error')", Long.class, before) == 0
            || jdbc.queryForObject("SELECT COUNT(*) FROM gc_run WHERE status IN ('Pending', 'Running')", Long.class) > 0
            || jdbc.queryForObject("SELECT COUNT(*) FROM qrtz_fired_triggers", Long.class) > 0) {
            assertThat(System.nanoTime()).as("both fires handled").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM gc_run WHERE id > ? AND status = 'Error'", Long.class, before)).isZero();
        assertOneAtATime(jdbc);
        nodeB.put("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "None"))).expect(200);
        assertThat(onA.checkExists(JobKey.jobKey("gc-schedule", "gc"))).isFalse();
    }

    /** No two recorded runs overlap: each starts after the one before has ended. */
    private static void assertOneAtATime(JdbcTemplate jdbc) {
        List<OffsetDateTime[]> runs = jdbc.query("SELECT created_at, updated_at FROM gc_run ORDER BY id", (rs, n) ->
            new OffsetDateTime[] {rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)});
        for (int i = 1; i < runs.size(); i++) {
            OffsetDateTime previousEnd = runs.get(i - 1)[1];
            OffsetDateTime start = runs.get(i)[0];
            assertThat(start).as("run %d starts after run %d ended", i + 1, i).isAfterOrEqualTo(previousEnd);
        }
    }

    private static JsonNode finished(RegistryClient client, String location) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode run = client.get(location).expect(200).json();
            String status = run.path("job_status").asString();
            if (status.equals("Success") || status.equals("Error")) {
                assertThat(status).as(client.get(location + "/log").text()).isEqualTo("Success");
                return run;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + location);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
