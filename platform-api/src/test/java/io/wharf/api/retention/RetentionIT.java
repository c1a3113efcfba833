package io.wharf.api.retention;

import io.wharf.api.accounts.AccountsIntegrationTest;
import io.wharf.retention.schedule.RetentionScheduler;
import io.wharf.testkit.MutableClock;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tag retention against the running app on PostgreSQL: rules OR-ed with repository and tag filters, ages
 * on a {@link MutableClock}, a dry run that deletes nothing and logs what it would, a real run through
 * core's deletes (audited), an immutable tag that survives, the schedule (its Quartz job fired directly),
 * stop, permissions per role and bad input in Harbor's shape. Runs are asynchronous (a Quartz job), so
 * the tests poll the execution until it ends.
 */
@Import(RetentionIT.Beans.class)
class RetentionIT extends AccountsIntegrationTest {

    static final MutableClock CLOCK = new MutableClock();

    @TestConfiguration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return CLOCK;
        }
    }

    @Autowired
    Scheduler scheduler;

    static Map<String, Object> rule(String template, Integer param, String tagDecoration, String tagPattern, String repoDecoration,
                                    String repoPattern) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("disabled", false);
        rule.put("action", "retain");
        rule.put("template", template);
        rule.put("params", param == null ? Map.of() : Map.of(template, param));
        rule.put("tag_selectors", List.of(Map.of("kind", "doublestar", "decoration", tagDecoration, "pattern", tagPattern,
            "extras", "{\"untagged\":false}")));
        rule.put("scope_selectors", Map.of("repository",
            List.of(Map.of("kind", "doublestar", "decoration", repoDecoration, "pattern", repoPattern))));
        return rule;
    }

    static Map<String, Object> policy(long projectId, String cron, List<Map<String, Object>> rules) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("algorithm", "or");
        body.put("rules", rules);
        body.put("trigger", Map.of("kind", "Schedule", "settings", Map.of("cron", cron)));
        body.put("scope", Map.of("level", "project", "ref", projectId));
        return body;
    }

    long createPolicy(Map<String, Object> body) {
        Response created = http.as(ADMIN).post("/api/v2.0/retentions", body);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return idFromLocation(created);
    }

    /** Pushes {@code repository:tag} and dates its push {@code age} before the clock's now. */
    String pushAged(String repository, String tag, Duration age) {
        String digest = http.as(ADMIN).push(repository, tag, TestImage.simple(repository + ":" + tag));
        Timestamp at = Timestamp.from(CLOCK.instant().minus(age));
        jdbc.update("UPDATE manifest SET pushed_at = ? WHERE digest = ? AND repository_id = (SELECT id FROM repository WHERE name = ?)",
            at, digest, repository);
        jdbc.update("UPDATE tag SET updated_at = ? WHERE name = ? AND repository_id = (SELECT id FROM repository WHERE name = ?)",
            at, tag, repository);
        return digest;
    }

    /** Starts a run and waits (a deadline, no sleep of a fixed time) until it ends; returns the execution. */
    JsonNode run(long policyId, boolean dryRun) {
        Response started = http.as(ADMIN).post("/api/v2.0/retentions/" + policyId + "/executions", Map.of("dry_run", dryRun));
        assertThat(started.status()).as("%s", started).isEqualTo(201);
        return awaitEnd(policyId, idFromLocation(started));
    }

    JsonNode awaitEnd(long policyId, long executionId) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            for (JsonNode e : http.as(ADMIN).get("/api/v2.0/retentions/" + policyId + "/executions?page_size=100").json()) {
                if (e.path("id").asLong() == executionId && !e.path("end_time").isNull()) {
                    return e;
                }
            }
            assertThat(Instant.now()).as("execution %s ended", executionId).isBefore(deadline);
            Thread.onSpinWait();
        }
    }

    List<String> tags(String repository) {
        Response list = http.as(ADMIN).tags(repository);
        if (list.status() == 404) {
            return List.of();
        }
        return list.json().path("tags").valueStream().map(JsonNode::asString).sorted().toList();
    }

    String log(long policyId, long executionId, String repository) {
        String tasks = "/api/v2.0/retentions/" + policyId + "/executions/" + executionId + "/tasks";
        for (JsonNode task : http.as(ADMIN).get(tasks).json()) {
            if (task.path("repository").asString().equals(repository)) {
                Response log = http.as(ADMIN).get(tasks + "/" + task.path("id").asLong());
                assertThat(log.header("Content-Type").orElse("")).startsWith("text/plain");
                return log.text();
            }
        }
        throw new AssertionError("no task for " + repository);
    }

    @Test
    void rulesAreOredOverTheirFiltersAndADryRunDeletesNothing() {
        String project = unique("ret");
        long projectId = createProject(project, false, ADMIN);
        String app = project + "/app";
        String old = pushAged(app, "1.0", Duration.ofDays(30));
        pushAged(app, "1.1", Duration.ofDays(20));
        pushAged(app, "1.2", Duration.ofDays(10));
        pushAged(app, "2.0", Duration.ofDays(1));
        pushAged(app, "dev-1", Duration.ofDays(40));
        pushAged(app, "stable", Duration.ofDays(50));
        pushAged(app, "pinned", Duration.ofDays(60));
        pushAged(project + "/tools/lint", "1.0", Duration.ofDays(90));
        // the latest two of 1.x/2.x, anything pushed in the last 15 days, and everything but dev-* and pinned...
        // ...in repositories other than tools/** (out of scope: untouched); pinned is immutable
        long policyId = createPolicy(policy(projectId, "", List.of(
            rule("latestPushedK", 2, "matches", "{1,2}.*", "repoMatches", "app"),
            rule("nDaysSinceLastPush", 15, "matches", "**", "repoExcludes", "tools/**"),
            rule("always", null, "excludes", "{dev-*,pinned,1.*,2.*}", "repoMatches", "app"))));
        Response immutable = http.as(ADMIN).post("/api/v2.0/projects/" + project + "/immutabletagrules",
            ImmutableTagRulesIT.rule("matches", "pinned", "repoMatches", "**", false));
        assertThat(immutable.status()).isEqualTo(201);
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + project).json().path("metadata").path("retention_id").asString())
            .isEqualTo(String.valueOf(policyId));

        JsonNode dry = run(policyId, true);
        assertThat(dry.path("status").asString()).isEqualTo("Success");
        assertThat(dry.path("dry_run").asBoolean()).isTrue();
        assertThat(dry.path("trigger").asString()).isEqualTo("MANUAL");
        assertThat(tags(app)).as("a dry run deletes nothing").hasSize(7);
        String dryLog = log(policyId, dry.path("id").asLong(), app);
        assertThat(dryLog).contains("would delete " + app + "@" + old + " [1.0]", "would delete", "[dev-1]")
            .contains("the tag pinned is immutable").doesNotContain("deleted ");

        JsonNode real = run(policyId, false);
        assertThat(real.path("status").asString()).isEqualTo("Success");
        assertThat(tags(app)).containsExactly("1.2", "2.0", "pinned", "stable");
        assertThat(tags(project + "/tools/lint")).as("out of the policy's scope").containsExactly("1.0");
        JsonNode task = http.as(ADMIN).get("/api/v2.0/retentions/" + policyId + "/executions/" + real.path("id").asLong() + "/tasks")
            .json().get(0);
        assertThat(task.path("repository").asString()).isEqualTo(app);
        assertThat(task.path("total").asInt()).isEqualTo(7);
        assertThat(task.path("retained").asInt()).isEqualTo(4);
        assertThat(log(policyId, real.path("id").asLong(), app)).contains("deleted " + app + "@" + old + " [1.0]");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_log WHERE operation = 'delete' AND resource_type = 'artifact' "
            + "AND username = 'retention' AND resource LIKE ?", Long.class, app + ":sha256:%")).as("core's deletes, audited").isEqualTo(3L);

        // time passes: 1.2 (10 days) leaves the 15-day window, but the latest two 1.x/2.x keep it
        CLOCK.advance(Duration.ofDays(10));
        run(policyId, false);
        assertThat(tags(app)).containsExactly("1.2", "2.0", "pinned", "stable");

        Response executions = http.as(ADMIN).get("/api/v2.0/retentions/" + policyId + "/executions?page=1&page_size=2");
        assertThat(executions.header("X-Total-Count")).contains("3");
        assertThat(executions.json().size()).isEqualTo(2);
        assertThat(executions.json().get(0).path("dry_run").asBoolean()).as("newest first").isFalse();
    }

    @Test
    void theScheduleIsAClusteredQuartzTriggerThatRunsThePolicy() throws Exception {
        String project = unique("rets");
        long projectId = createProject(project, false, ADMIN);
        pushAged(project + "/app", "a", Duration.ofDays(3));
        pushAged(project + "/app", "b", Duration.ofDays(2));
        pushAged(project + "/app", "c", Duration.ofDays(1));
        long policyId = createPolicy(policy(projectId, "0 30 2 * * 0", List.of(
            rule("latestPulledN", 1, "matches", "**", "repoMatches", "**"))));
        jdbc.update("UPDATE manifest SET pulled_at = ?, pull_count = 1 WHERE digest = ?", Timestamp.from(CLOCK.instant()),
            TestImage.simple(project + "/app:a").manifestDigest());

        TriggerKey trigger = TriggerKey.triggerKey(RetentionScheduler.scheduleKey(policyId).getName(), RetentionScheduler.SCHEDULES);
        assertThat(((CronTrigger) scheduler.getTrigger(trigger)).getCronExpression()).as("Sunday 02:30").isEqualTo("0 30 2 ? * 1");
        scheduler.triggerJob(RetentionScheduler.scheduleKey(policyId));
        Instant deadline = Instant.now().plusSeconds(60);
        JsonNode execution;
        while (true) {
            JsonNode list = http.as(ADMIN).get("/api/v2.0/retentions/" + policyId + "/executions").json();
            if (list.size() == 1 && !list.get(0).path("end_time").isNull()) {
                execution = list.get(0);
                break;
            }
            assertThat(Instant.now()).as("the scheduled run ended").isBefore(deadline);
            Thread.onSpinWait();
        }
        assertThat(execution.path("trigger").asString()).isEqualTo("SCHEDULE");
        assertThat(execution.path("status").asString()).isEqualTo("Success");
        assertThat(tags(project + "/app")).as("the most recently pulled one").containsExactly("a");

        Map<String, Object> manual = policy(projectId, "", List.of(rule("always", null, "matches", "**", "repoMatches", "**")));
        assertThat(http.as(ADMIN).put("/api/v2.0/retentions/" + policyId, manual).status()).isEqualTo(200);
        assertThat(scheduler.getTrigger(trigger)).as("no schedule, no trigger").isNull();
        assertThat(http.as(ADMIN).get("/api/v2.0/retentions/" + policyId).json().path("rules").path(0).path("template").asString())
            .isEqualTo("always");
        assertThat(http.as(ADMIN).delete("/api/v2.0/retentions/" + policyId).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + project).json().path("metadata").has("retention_id")).isFalse();
    }

    @Test
    void permissionsFollowHarborsRolesAndBadInputIsRefusedWithNothingWritten() {
        String project = unique("retp");
        long projectId = createProject(project, false, ADMIN);
        Map<Integer, String> users = new LinkedHashMap<>();
        for (int role : new int[] {TestAccounts.ROLE_MAINTAINER, TestAccounts.ROLE_DEVELOPER, TestAccounts.ROLE_GUEST}) {
            String username = unique("r" + role);
            createUser(username);
            addMember(project, username, role);
            users.put(role, username);
        }
        List<Map<String, Object>> keepAll = List.of(rule("always", null, "matches", "**", "repoMatches", "**"));
        String guest = users.get(TestAccounts.ROLE_GUEST);
        assertHarborError(http.as(user(guest)).post("/api/v2.0/retentions", policy(projectId, "", keepAll)), 403, "FORBIDDEN");
        assertHarborError(http.anonymous().post("/api/v2.0/retentions", policy(projectId, "", keepAll)), 401, "UNAUTHORIZED");

        // bad input: unknown template, a missing parameter, bad pattern, bad cron, no scope, unknown project
        String p = "/api/v2.0/retentions";
        assertHarborError(http.as(ADMIN).post(p, policy(projectId, "", List.of(rule("latestPushedX", 3, "matches", "**", "repoMatches", "**")))),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post(p, policy(projectId, "", List.of(rule("latestPushedK", null, "matches", "**", "repoMatches", "**")))),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post(p, policy(projectId, "", List.of(rule("always", null, "matches", "[x", "repoMatches", "**")))),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post(p, policy(projectId, "every day", keepAll)), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post(p, policy(projectId, "0 0 1 * * 7", keepAll)), 400, "BAD_REQUEST");
        Map<String, Object> noScope = policy(projectId, "", keepAll);
        noScope.remove("scope");
        assertHarborError(http.as(ADMIN).post(p, noScope), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post(p, policy(99_999_999L, "", keepAll)), 404, "NOT_FOUND");
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + project).json().path("metadata").has("retention_id"))
            .as("nothing half-written").isFalse();

        // project admins (here a system administrator), maintainers and developers manage and run it
        Response byDeveloper = http.as(user(users.get(TestAccounts.ROLE_DEVELOPER))).post(p, policy(projectId, "0 0 3 * * *", keepAll));
        assertThat(byDeveloper.status()).as("%s", byDeveloper).isEqualTo(201);
        long policyId = idFromLocation(byDeveloper);
        assertHarborError(http.as(ADMIN).post(p, policy(projectId, "", keepAll)), 409, "CONFLICT");
        for (int role : new int[] {TestAccounts.ROLE_MAINTAINER, TestAccounts.ROLE_DEVELOPER}) {
            assertThat(http.as(user(users.get(role))).get(p + "/" + policyId).status()).isEqualTo(200);
            assertThat(http.as(user(users.get(role))).put(p + "/" + policyId, policy(projectId, "", keepAll)).status()).isEqualTo(200);
        }
        Response started = http.as(user(users.get(TestAccounts.ROLE_MAINTAINER))).post(p + "/" + policyId + "/executions",
            Map.of("dry_run", true));
        assertThat(started.status()).isEqualTo(201);
        long executionId = idFromLocation(started);
        awaitEnd(policyId, executionId);
        assertHarborError(http.as(user(guest)).get(p + "/" + policyId), 403, "FORBIDDEN");
        assertHarborError(http.as(user(guest)).post(p + "/" + policyId + "/executions", Map.of("dry_run", true)), 403, "FORBIDDEN");
        assertHarborError(http.as(user(guest)).get(p + "/" + policyId + "/executions"), 403, "FORBIDDEN");
        assertHarborError(http.anonymous().get(p + "/" + policyId), 401, "UNAUTHORIZED");
        assertHarborError(http.anonymous().get(p + "/metadatas"), 401, "UNAUTHORIZED");
        JsonNode metadatas = http.as(user(guest)).get(p + "/metadatas").json();
        assertThat(metadatas.path("templates").valueStream().map(t -> t.path("rule_template").asString()).toList())
            .containsExactly("latestPushedK", "latestPulledN", "nDaysSinceLastPush", "nDaysSinceLastPull", "always");

        // unknown ids and actions
        assertHarborError(http.as(ADMIN).get(p + "/99999999"), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).post(p + "/99999999/executions", Map.of("dry_run", true)), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).get(p + "/" + policyId + "/executions/99999999/tasks"), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).get(p + "/" + policyId + "/executions/" + executionId + "/tasks/99999999"), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).patch(p + "/" + policyId + "/executions/" + executionId, Map.of("action", "pause")),
            400, "BAD_REQUEST");
        assertThat(http.as(ADMIN).patch(p + "/" + policyId + "/executions/" + executionId, Map.of("action", "stop")).status())
            .as("stopping a finished run leaves it").isEqualTo(200);
        assertThat(http.as(ADMIN).get(p + "/" + policyId + "/executions").json().get(0).path("status").asString()).isEqualTo("Success");
    }
}
