package io.wharf.api.accounts;

import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestImage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.RegistryClient.Push;
import io.wharf.testkit.Response;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.awaitility.core.ConditionTimeoutException;
import io.wharf.testkit.MutableClock;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Login abuse resistance with {@code wharf.auth.max-failed-logins=3} and a 3-second lockout: locked,
 * unknown and wrong all answer alike; the lock lifts by itself once the (test's) clock has moved past it; failures are counted in
 * {@code wharf.auth.failures}; and {@code audit_log} records logins, tokens, registry operations and
 * every change to users, projects, members and robots.
 */
@TestPropertySource(properties = {"wharf.auth.max-failed-logins=3", "wharf.auth.lockout-duration=3s"})
@Import(LoginLockoutIT.Metrics.class)
class LoginLockoutIT extends AccountsIntegrationTest {

    /**
     * A meter registry, so that the login service has somewhere to count failures, and a clock the test moves
     * past the lockout instead of waiting for it.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class Metrics {

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock();
        }
    }

    @Autowired
    MutableClock clock;

    @Autowired
    MeterRegistry meters;

    @Test
    void threeWrongPasswordsLockTheNameUntilTheLockoutEnds() {
        String name = unique("locky");
        createUser(name);
        Credentials right = user(name);
        Credentials wrong = Credentials.basic(name, "Wr0ngPassword");
        double badBefore = failures("bad_credentials");
        double lockedBefore = failures("locked");

        Response first = http.as(wrong).token();
        assertOciError(first, 401, "UNAUTHORIZED");
        String challenge = first.header("WWW-Authenticate").orElseThrow();
        assertThat(http.as(wrong).token().text()).isEqualTo(first.text());
        Response third = http.as(wrong).token();
        assertThat(third.status()).isEqualTo(401);
        assertThat(third.text()).isEqualTo(first.text());

        // locked: the right password gets exactly the answer a wrong one gets
        Response locked = http.as(right).token();
        assertThat(locked.status()).as("%s", locked).isEqualTo(401);
        assertThat(locked.text()).isEqualTo(first.text());
        assertThat(locked.header("WWW-Authenticate")).contains(challenge);
        Response lockedApi = http.as(right).get("/api/v2.0/users/current");
        assertHarborError(lockedApi, 401, "UNAUTHORIZED");
        Response lockedV2 = http.as(right).get("/v2/");
        assertThat(lockedV2.status()).isEqualTo(401);

        // an unknown name answers alike, on the token endpoint and on the API
        String ghost = unique("ghost");
        Response unknown = http.as(Credentials.basic(ghost, "Wr0ngPassword")).token();
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.text()).isEqualTo(first.text());
        assertThat(unknown.header("WWW-Authenticate")).contains(challenge);
        Response unknownApi = http.as(Credentials.basic(ghost, "Wr0ngPassword")).get("/api/v2.0/users/current");
        assertThat(unknownApi.status()).isEqualTo(401);
        assertThat(unknownApi.text()).isEqualTo(lockedApi.text());
        assertThat(unknownApi.header("WWW-Authenticate")).isEqualTo(lockedApi.header("WWW-Authenticate"));

        // other accounts are not affected
        assertThat(http.as(ADMIN).token().status()).isEqualTo(200);

        // the lock lifts by itself once the lockout is over, not before
        clock.advance(Duration.ofSeconds(2));
        assertThat(http.as(right).token().status()).as("still locked").isEqualTo(401);
        clock.advance(Duration.ofSeconds(2));
        Response after = http.as(right).token();
        assertThat(after.status()).as("%s", after).isEqualTo(200);
        assertThat(after.json().path("token").asString()).isNotBlank();
        assertThat(http.as(right).get("/api/v2.0/users/current").status()).isEqualTo(200);

        // audited: the failures, the lock, refusals while locked and the success (checks outside a change are
        // audited in the next batch, so wait for the first refusal while locked to be written)
        awaitAudit(name, "login", "account", name, "failure");
        awaitAuditWhere("username = ? AND operation = 'login' AND outcome = 'failure' AND detail = 'locked'", name);
        List<String> details = jdbc.queryForList(
            "SELECT detail FROM audit_log WHERE username = ? AND operation = 'login' AND outcome = 'failure' ORDER BY id",
            String.class, name);
        assertThat(details).startsWith("bad credentials", "bad credentials", "bad credentials, now locked");
        assertThat(details.subList(3, details.size())).isNotEmpty().allMatch("locked"::equals);
        awaitAudit(name, "login", "user", name, "success"); // a login checked outside a change is audited in the next batch
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE username = ? AND operation = 'login' AND outcome = 'failure'",
            Long.class, ghost)).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForList("SELECT remote_addr FROM audit_log WHERE username = ?", String.class, name))
            .isNotEmpty().allSatisfy(addr -> assertThat(addr).isNotBlank());

        // counted
        assertThat(failures("bad_credentials") - badBefore).as("wrong and unknown").isGreaterThanOrEqualTo(5);
        assertThat(failures("locked") - lockedBefore).as("refused while locked").isGreaterThanOrEqualTo(3);
    }

    @Test
    void aSuccessfulLoginResetsTheFailureCount() {
        String name = unique("reset");
        createUser(name);
        Credentials wrong = Credentials.basic(name, "Wr0ngPassword");
        assertThat(http.as(wrong).token().status()).isEqualTo(401);
        assertThat(http.as(wrong).token().status()).isEqualTo(401);
        assertThat(http.as(user(name)).token().status()).as("two failures do not lock").isEqualTo(200);
        assertThat(http.as(wrong).token().status()).isEqualTo(401);
        assertThat(http.as(wrong).token().status()).isEqualTo(401);
        assertThat(http.as(user(name)).token().status()).as("the success reset the count").isEqualTo(200);
    }

    @Test
    void auditLogRecordsLoginsTokensRegistryOperationsAndChanges() {
        String userName = unique("aud");
        long userId = createUser(userName);
        assertThat(http.as(Credentials.basic(userName, "Wr0ngPassword")).token().status()).isEqualTo(401);
        assertThat(http.as(user(userName)).token().status()).isEqualTo(200);

        Response updated = http.as(ADMIN).put("/api/v2.0/users/" + userId, Map.of("comment", "audited"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(http.as(ADMIN).put("/api/v2.0/users/" + userId + "/password", Map.of("new_password", "Chang3dPass")).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).put("/api/v2.0/users/" + userId + "/sysadmin", Map.of("sysadmin_flag", true)).status()).isEqualTo(200);

        String project = unique("audp");
        createProject(project, false, ADMIN);
        assertThat(http.as(ADMIN).put("/api/v2.0/projects/" + project, Map.of("metadata", Map.of("public", "true"))).status()).isEqualTo(200);
        long memberId = addMember(project, userName, 2);
        assertThat(http.as(ADMIN).put("/api/v2.0/projects/" + project + "/members/" + memberId, Map.of("role_id", 4)).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).delete("/api/v2.0/projects/" + project + "/members/" + memberId).status()).isEqualTo(200);

        Response robot = http.as(ADMIN).post("/api/v2.0/robots", RobotsApiIT.robot("aud", "project", -1, Map.of(project, List.of("pull"))));
        assertThat(robot.status()).isEqualTo(201);
        long robotId = robot.json().path("id").asLong();
        String robotName = robot.json().path("name").asString();
        Map<String, Object> disable = new java.util.LinkedHashMap<>(RobotsApiIT.robot("aud", "project", -1, Map.of(project, List.of("pull"))));
        disable.put("disable", true);
        assertThat(http.as(ADMIN).put("/api/v2.0/robots/" + robotId, disable).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).patch("/api/v2.0/robots/" + robotId, Map.of()).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).delete("/api/v2.0/robots/" + robotId).status()).isEqualTo(200);

        Response token = http.as(ADMIN).token("repository:" + project + "/app:pull,push");
        assertThat(token.status()).isEqualTo(200);
        Push push = http.as(ADMIN).tryPush(project + "/app", "v1", TestImage.simple(project));
        assertThat(push.ok()).as("%s", push.response()).isTrue();
        assertThat(http.as(ADMIN).getManifest(project + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).deleteManifest(project + "/app", push.digest()).status()).isEqualTo(202);

        String emptyProject = unique("audx");
        createProject(emptyProject, false, ADMIN);
        assertThat(http.as(ADMIN).delete("/api/v2.0/projects/" + emptyProject).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).delete("/api/v2.0/users/" + userId).status()).isEqualTo(200);

        // logins
        awaitAudit(userName, "login", "account", userName, "failure");
        awaitAudit(userName, "login", "user", userName, "success");
        awaitAudit("admin", "login", "user", "admin", "success");
        // tokens
        awaitAudit("admin", "token", "token", "%" + project + "/app%", "success");
        awaitAudit(userName, "token", "token", "%", "success");
        // registry
        awaitAudit("admin", "push", "artifact", project + "/app:v1", "success");
        awaitAudit("admin", "pull", "artifact", project + "/app:v1", "success");
        awaitAudit("admin", "delete", "artifact", project + "/app:" + push.digest(), "success");
        // users
        awaitAudit("admin", "create", "user", userName, "success");
        awaitAudit("admin", "update", "user", userName, "success");
        awaitAudit("admin", "update", "user_password", userName, "success");
        awaitAudit("admin", "update", "user_sysadmin", userName, "success");
        awaitAudit("admin", "delete", "user", userName, "success");
        // projects
        awaitAudit("admin", "create", "project", project, "success");
        awaitAudit("admin", "update", "project", project, "success");
        awaitAudit("admin", "create", "project", emptyProject, "success");
        awaitAudit("admin", "delete", "project", emptyProject, "success");
        // members
        awaitAudit("admin", "create", "member", project + ":" + userName, "success");
        awaitAudit("admin", "update", "member", project + ":" + userName, "success");
        awaitAudit("admin", "delete", "member", project + ":" + userName, "success");
        // robots
        awaitAudit("admin", "create", "robot", robotName, "success");
        awaitAudit("admin", "update", "robot", robotName, "success");
        awaitAudit("admin", "update", "robot_secret", robotName, "success");
        awaitAudit("admin", "delete", "robot", robotName, "success");

        // every entry says when and from where
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE occurred_at IS NULL OR remote_addr IS NULL", Long.class))
            .isZero();
        // and never holds a secret
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE resource LIKE ? OR detail LIKE ?", Long.class,
            "%" + PASSWORD + "%", "%" + PASSWORD + "%")).isZero();
    }

    @Test
    void anonymousTokensAndFailedRegistryLoginsAreAuditedToo() {
        String project = unique("audanon");
        createProject(project, true, ADMIN);
        assertThat(http.anonymous().token("repository:" + project + "/app:pull").status()).isEqualTo(200);
        awaitAuditWhere("username IS NULL AND operation = 'token' AND resource LIKE ?", "%" + project + "/app%");

        String name = unique("v2fail");
        assertThat(http.as(Credentials.basic(name, "Wr0ngPassword")).get("/v2/").status()).isEqualTo(401);
        awaitAudit(name, "login", "account", name, "failure");
    }

    private double failures(String reason) {
        Counter counter = meters.find("wharf.auth.failures").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private void awaitAudit(String username, String operation, String resourceType, String resource, String outcome) {
        awaitAuditWhere("username = ? AND operation = ? AND resource_type = ? AND resource LIKE ? AND outcome = ?",
            username, operation, resourceType, resource, outcome);
    }

    /** Waits for the audit row, which the server writes after the response has gone out. */
    private void awaitAuditWhere(String where, Object... args) {
        try {
            await().atMost(Duration.ofSeconds(10)).until(
                () -> jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE " + where, Long.class, args), count -> count != null && count > 0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no audit_log entry where " + where + " " + List.of(args) + "; recent entries: "
                + jdbc.queryForList("SELECT username, operation, resource_type, resource, outcome, detail FROM audit_log "
                + "ORDER BY id DESC LIMIT 40"), e);
        }
    }
}
