package io.wharf.api.scanner;

import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.Test;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.impl.matchers.KeyMatcher;
import org.quartz.listeners.JobListenerSupport;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scan all (Harbor's {@code /system/scanAll}): a manual run queues each distinct image digest once per
 * scanner across every project with a scanner, reports its progress, refuses a second manual run while
 * the first goes on, and can be stopped; the schedule is created, read, changed and removed with
 * Harbor's rules and fires through Quartz; bad requests and who may call.
 */
class ScanAllIT extends ScanningIntegrationTest {

    static final JobKey JOB = JobKey.jobKey("scan-all", "scan-all");

    @Autowired
    Scheduler scheduler;

    long jobsOfLatestRun(String digest) {
        return jdbc.queryForObject("SELECT count(*) FROM scan_job WHERE digest = ? AND scan_all_run_id ="
            + " (SELECT max(id) FROM scan_all_run)", Long.class, digest);
    }

    JsonNode metrics(String path) {
        return http.as(ADMIN).get(path).expect(200).json();
    }

    @Test
    void aManualRunQueuesEachDistinctImageOnceAndReportsItsProgress() {
        String first = project(false);
        String second = project(false);
        TestImage shared = TestImage.simple(unique("shared"));
        String sharedDigest = http.as(ADMIN).push(first + "/a", "1.0", shared);
        http.as(ADMIN).push(first + "/b", "1.0", shared);
        String other = http.as(ADMIN).push(second + "/c", "1.0", TestImage.simple(unique("other")));
        worker.runDueJobs();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scan_job WHERE digest IN (?, ?)", Long.class, sharedDigest, other))
            .as("auto_scan is off").isZero();

        Response run = http.as(ADMIN).post("/api/v2.0/system/scanAll/schedule", Map.of("schedule", Map.of("type", "Manual")));
        assertThat(run.status()).as("%s", run).isEqualTo(201);
        assertThat(jobsOfLatestRun(sharedDigest)).as("one digest in two repositories is scanned once").isEqualTo(1);
        assertThat(jobsOfLatestRun(other)).isEqualTo(1);
        long total = jdbc.queryForObject("SELECT count(*) FROM scan_job WHERE scan_all_run_id = (SELECT max(id) FROM scan_all_run)",
            Long.class);
        JsonNode started = metrics("/api/v2.0/scans/all/metrics");
        assertThat(started.path("total").asLong()).isEqualTo(total);
        assertThat(started.path("ongoing").asBoolean()).isTrue();
        assertThat(started.path("trigger").asString()).isEqualTo("Manual");
        assertThat(started.path("metrics").path("Pending").asLong()).isEqualTo(total);

        assertHarborError(http.as(ADMIN).post("/api/v2.0/system/scanAll/schedule", Map.of("schedule", Map.of("type", "Manual"))),
            409, "CONFLICT");

        scanToEnd();
        JsonNode done = metrics("/api/v2.0/scans/all/metrics");
        assertThat(done.path("ongoing").asBoolean()).isFalse();
        assertThat(done.path("completed").asLong()).isEqualTo(total);
        assertThat(done.path("metrics").path("Success").asLong()).isEqualTo(total);
        assertThat(status(sharedDigest)).isEqualTo("Success");
        assertThat(overview(first + "/b", "1.0").path(REPORT).path("scan_status").asString()).isEqualTo("Success");

        // once done, a second manual run is allowed and scans again (Harbor rescans everything)
        http.as(ADMIN).post("/api/v2.0/system/scanAll/schedule", Map.of("schedule", Map.of("type", "Manual"))).expect(201);
        assertThat(jobsOfLatestRun(sharedDigest)).isEqualTo(1);

        // stopping ends the run's live scans
        assertThat(http.as(ADMIN).post("/api/v2.0/system/scanAll/stop", Map.of()).status()).isEqualTo(202);
        JsonNode stopped = metrics("/api/v2.0/scans/all/metrics");
        assertThat(stopped.path("ongoing").asBoolean()).isFalse();
        assertThat(stopped.path("metrics").path("Stopped").asLong()).isEqualTo(stopped.path("total").asLong()).isPositive();
        assertThat(status(sharedDigest)).isEqualTo("Stopped");
    }

    @Test
    void theScheduleFollowsHarborsRulesAndFiresThroughQuartz() throws Exception {
        project(false);
        http.as(ADMIN).put("/api/v2.0/system/scanAll/schedule", Map.of("schedule", Map.of("type", "None"))).expect(200);
        assertThat(http.as(ADMIN).get("/api/v2.0/system/scanAll/schedule").expect(200).json().size()).as("none yet").isZero();

        http.as(ADMIN).post("/api/v2.0/system/scanAll/schedule", Map.of("schedule", Map.of("type", "Daily"))).expect(201);
        JsonNode daily = http.as(ADMIN).get("/api/v2.0/system/scanAll/schedule").expect(200).json().path("schedule");
        assertThat(daily.path("type").asString()).isEqualTo("Daily");
        assertThat(daily.path("cron").asString()).isEqualTo("0 0 0 * * *");
        assertThat(Instant.parse(daily.path("next_scheduled_time").asString())).isAfter(Instant.now());
        assertHarborError(http.as(ADMIN).post("/api/v2.0/system/scanAll/schedule", Map.of("schedule", Map.of("type", "Weekly"))),
            412, "PRECONDITION");

        http.as(ADMIN).put("/api/v2.0/system/scanAll/schedule", Map.of("schedule", Map.of("type", "Custom", "cron", "0 30 2 * * 1")))
            .expect(200);
        JsonNode custom = http.as(ADMIN).get("/api/v2.0/system/scanAll/schedule").expect(200).json().path("schedule");
        assertThat(custom.path("type").asString()).isEqualTo("Custom");
        assertThat(custom.path("cron").asString()).isEqualTo("0 30 2 * * 1");

        // a fire of the schedule (made now, not waited for) is a run with trigger Schedule
        long before = jdbc.queryForObject("SELECT count(*) FROM scan_all_run WHERE trigger_kind = 'Schedule'", Long.class);
        CountDownLatch ran = new CountDownLatch(1);
        scheduler.getListenerManager().addJobListener(new JobListenerSupport() {
            @Override
            public String getName() {
                return "scan-all-it";
            }

            @Override
            public void jobWasExecuted(JobExecutionContext context, JobExecutionException failure) {
                ran.countDown();
            }
        }, KeyMatcher.keyEquals(JOB));
        try {
            scheduler.triggerJob(JOB);
            assertThat(ran.await(30, TimeUnit.SECONDS)).as("the scheduled run ran on a Quartz thread").isTrue();
        } finally {
            scheduler.getListenerManager().removeJobListener("scan-all-it");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scan_all_run WHERE trigger_kind = 'Schedule'", Long.class))
            .isEqualTo(before + 1);
        assertThat(metrics("/api/v2.0/scans/schedule/metrics").path("trigger").asString()).isEqualTo("Schedule");

        // bad requests
        assertHarborError(http.as(ADMIN).put("/api/v2.0/system/scanAll/schedule", Map.of("schedule", Map.of("type", "Manual"))),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).put("/api/v2.0/system/scanAll/schedule", Map.of("schedule", Map.of("type", "Yearly"))),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).put("/api/v2.0/system/scanAll/schedule", Map.of("schedule", Map.of("type", "Custom"))),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).put("/api/v2.0/system/scanAll/schedule",
            Map.of("schedule", Map.of("type", "Custom", "cron", "0 0 1 1 * 1"))), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).put("/api/v2.0/system/scanAll/schedule", Map.of()), 400, "BAD_REQUEST");

        http.as(ADMIN).put("/api/v2.0/system/scanAll/schedule", Map.of("schedule", Map.of("type", "None"))).expect(200);
        assertThat(http.as(ADMIN).get("/api/v2.0/system/scanAll/schedule").expect(200).json().size()).isZero();
        assertThat(scheduler.checkExists(JOB)).isFalse();
    }

    @Test
    void onlySystemAdministratorsAndOnlyWithADefaultScanner() {
        project(false);
        String user = unique("u");
        createUser(user);
        for (String path : List.of("/api/v2.0/system/scanAll/schedule", "/api/v2.0/scans/all/metrics", "/api/v2.0/scans/schedule/metrics")) {
            assertHarborError(http.as(user(user)).get(path), 403, "FORBIDDEN");
            assertHarborError(http.anonymous().get(path), 401, "UNAUTHORIZED");
        }
        assertHarborError(http.as(user(user)).post("/api/v2.0/system/scanAll/schedule", Map.of("schedule", Map.of("type", "Manual"))),
            403, "FORBIDDEN");
        assertHarborError(http.as(user(user)).post("/api/v2.0/system/scanAll/stop", Map.of()), 403, "FORBIDDEN");

        String defaultUuid = jdbc.queryForObject("SELECT uuid FROM scanner_registration WHERE is_default = TRUE", String.class);
        jdbc.update("UPDATE scanner_registration SET is_default = NULL");
        try {
            assertThat(assertHarborError(http.as(ADMIN).get("/api/v2.0/scans/all/metrics"), 412, "PRECONDITION")
                .path("message").asString()).contains("no scanner is configured");
        } finally {
            jdbc.update("UPDATE scanner_registration SET is_default = TRUE WHERE uuid = ?", defaultUuid);
        }
    }
}
