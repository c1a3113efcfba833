package io.wharf.api.accounts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.api.accounts.WharfHttp.Auth;
import io.wharf.api.accounts.WharfHttp.Push;
import io.wharf.api.accounts.WharfHttp.Response;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Login abuse resistance with {@code wharf.auth.max-failed-logins=3} and a 3-second lockout: locked,
 * unknown and wrong all answer alike; the lock lifts by itself; failures are counted in
 * {@code wharf.auth.failures}; and {@code audit_log} records logins, tokens, registry operations and
 * every change to users, projects, members and robots.
 */
@TestPropertySource(properties = {"wharf.auth.max-failed-logins=3", "wharf.auth.lockout-duration=3s"})
@Import(LoginLockoutIT.Metrics.class)
class LoginLockoutIT extends AccountsIntegrationTest {

    /** A meter registry, so that the login service has somewhere to count failures. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Metrics {

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    MeterRegistry meters;

    @Test
    void threeWrongPasswordsLockTheNameUntilTheLockoutEnds() {
        String name = unique("locky");
        createUser(name);
        Auth right = user(name);
        Auth wrong = Auth.basic(name, "Wr0ngPassword");
        double badBefore = failures("bad_credentials");
        double lockedBefore = failures("locked");

        Response first = http.token(wrong);
        assertOciError(first, 401, "UNAUTHORIZED");
        String challenge = first.header("WWW-Authenticate").orElseThrow();
        assertThat(http.token(wrong).text()).isEqualTo(first.text());
        Response third = http.token(wrong);
        assertThat(third.status()).isEqualTo(401);
        assertThat(third.text()).isEqualTo(first.text());

        // locked: the right password gets exactly the answer a wrong one gets
        Response locked = http.token(right);
        assertThat(locked.status()).as("%s", locked).isEqualTo(401);
        assertThat(locked.text()).isEqualTo(first.text());
        assertThat(locked.header("WWW-Authenticate")).contains(challenge);
        Response lockedApi = http.get("/api/v2.0/users/current", right);
        assertHarborError(lockedApi, 401, "UNAUTHORIZED");
        Response lockedV2 = http.get("/v2/", right);
        assertThat(lockedV2.status()).isEqualTo(401);

        // an unknown name answers alike, on the token endpoint and on the API
        String ghost = unique("ghost");
        Response unknown = http.token(Auth.basic(ghost, "Wr0ngPassword"));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.text()).isEqualTo(first.text());
        assertThat(unknown.header("WWW-Authenticate")).contains(challenge);
        Response unknownApi = http.get("/api/v2.0/users/current", Auth.basic(ghost, "Wr0ngPassword"));
        assertThat(unknownApi.status()).isEqualTo(401);
        assertThat(unknownApi.text()).isEqualTo(lockedApi.text());
        assertThat(unknownApi.header("WWW-Authenticate")).isEqualTo(lockedApi.header("WWW-Authenticate"));

        // other accounts are not affected
        assertThat(http.token(ADMIN).status()).isEqualTo(200);

        // the lock lifts by itself
        Response after = awaitStatus(() -> http.token(right), 200, Duration.ofSeconds(15));
        assertThat(after.json().path("token").asString()).isNotBlank();
        assertThat(http.get("/api/v2.0/users/current", right).status()).isEqualTo(200);

        // audited: the failures, the lock, refusals while locked and the success
        List<String> details = jdbc.queryForList(
            "SELECT detail FROM audit_log WHERE username = ? AND operation = 'login' AND outcome = 'failure' ORDER BY id",
            String.class, name);
        assertThat(details).startsWith("bad credentials", "bad credentials", "bad credentials, now locked");
        assertThat(details.subList(3, details.size())).isNotEmpty().allMatch("locked"::equals);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE username = ? AND operation = 'login' AND outcome = 'success'",
            Long.class, name)).isGreaterThanOrEqualTo(1);
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
        Auth wrong = Auth.basic(name, "Wr0ngPassword");
        assertThat(http.token(wrong).status()).isEqualTo(401);
        assertThat(http.token(wrong).status()).isEqualTo(401);
        assertThat(http.token(user(name)).status()).as("two failures do not lock").isEqualTo(200);
        assertThat(http.token(wrong).status()).isEqualTo(401);
        assertThat(http.token(wrong).status()).isEqualTo(401);
        assertThat(http.token(user(name)).status()).as("the success reset the count").isEqualTo(200);
    }

    @Test
    void auditLogRecordsLoginsTokensRegistryOperationsAndChanges() {
        String userName = unique("aud");
        long userId = createUser(userName);
        assertThat(http.token(Auth.basic(userName, "Wr0ngPassword")).status()).isEqualTo(401);
        assertThat(http.token(user(userName)).status()).isEqualTo(200);

        Response updated = http.put("/api/v2.0/users/" + userId, ADMIN, Map.of("comment", "audited"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(http.put("/api/v2.0/users/" + userId + "/password", ADMIN, Map.of("new_password", "Chang3dPass")).status()).isEqualTo(200);
        assertThat(http.put("/api/v2.0/users/" + userId + "/sysadmin", ADMIN, Map.of("sysadmin_flag", true)).status()).isEqualTo(200);

        String project = unique("audp");
        createProject(project, false, ADMIN);
        assertThat(http.put("/api/v2.0/projects/" + project, ADMIN, Map.of("metadata", Map.of("public", "true"))).status()).isEqualTo(200);
        long memberId = addMember(project, userName, 2);
        assertThat(http.put("/api/v2.0/projects/" + project + "/members/" + memberId, ADMIN, Map.of("role_id", 4)).status()).isEqualTo(200);
        assertThat(http.delete("/api/v2.0/projects/" + project + "/members/" + memberId, ADMIN).status()).isEqualTo(200);

        Response robot = http.post("/api/v2.0/robots", ADMIN, RobotsApiIT.robot("aud", "project", -1, Map.of(project, List.of("pull"))));
        assertThat(robot.status()).isEqualTo(201);
        long robotId = robot.json().path("id").asLong();
        String robotName = robot.json().path("name").asString();
        Map<String, Object> disable = new java.util.LinkedHashMap<>(RobotsApiIT.robot("aud", "project", -1, Map.of(project, List.of("pull"))));
        disable.put("disable", true);
        assertThat(http.put("/api/v2.0/robots/" + robotId, ADMIN, disable).status()).isEqualTo(200);
        assertThat(http.patch("/api/v2.0/robots/" + robotId, ADMIN, Map.of()).status()).isEqualTo(200);
        assertThat(http.delete("/api/v2.0/robots/" + robotId, ADMIN).status()).isEqualTo(200);

        Response token = http.token(ADMIN, "repository:" + project + "/app:pull,push");
        assertThat(token.status()).isEqualTo(200);
        Push push = http.pushImage(project + "/app", "v1", ADMIN, project);
        assertThat(push.ok()).as("%s", push.response()).isTrue();
        assertThat(http.pullManifest(project + "/app", "v1", ADMIN).status()).isEqualTo(200);
        assertThat(http.deleteManifest(project + "/app", push.digest(), ADMIN).status()).isEqualTo(202);

        String emptyProject = unique("audx");
        createProject(emptyProject, false, ADMIN);
        assertThat(http.delete("/api/v2.0/projects/" + emptyProject, ADMIN).status()).isEqualTo(200);
        assertThat(http.delete("/api/v2.0/users/" + userId, ADMIN).status()).isEqualTo(200);

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
        assertThat(http.token(Auth.NONE, "repository:" + project + "/app:pull").status()).isEqualTo(200);
        awaitAuditWhere("username IS NULL AND operation = 'token' AND resource LIKE ?", "%" + project + "/app%");

        String name = unique("v2fail");
        assertThat(http.get("/v2/", Auth.basic(name, "Wr0ngPassword")).status()).isEqualTo(401);
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

    private void awaitAuditWhere(String where, Object... args) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Long count = jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE " + where, Long.class, args);
            if (count != null && count > 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no audit_log entry where " + where + " " + List.of(args) + "; recent entries: "
                    + jdbc.queryForList("SELECT username, operation, resource_type, resource, outcome, detail FROM audit_log "
                    + "ORDER BY id DESC LIMIT 40"));
            }
            sleep(100);
        }
    }

    private static Response awaitStatus(java.util.function.Supplier<Response> request, int status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response response = request.get();
        while (response.status() != status && System.nanoTime() < deadline) {
            sleep(500);
            response = request.get();
        }
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        return response;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
