package io.wharf.api.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.api.accounts.AccountsIntegrationTest;
import io.wharf.core.crypto.SecretCipher;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.MutableClock;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.webhook.WebhookReceiver;
import io.wharf.webhook.delivery.WebhookDispatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Project webhooks against a real receiver on a loopback port: Harbor's payload and CloudEvents for
 * push, pull and delete, the auth header, retries with backoff on the clock, a hanging receiver that
 * does not slow a push, an expired lease taken over, disabled policies, the delivery log, the test
 * delivery, permissions and bad input. Deliveries are driven by {@link WebhookDispatcher#deliverDueNow()};
 * the schedule that runs it in production is set to an hour here.
 */
@Import(WebhookIT.Beans.class)
@TestPropertySource(properties = {"wharf.webhook.poll-interval=1h", "wharf.webhook.pull-flush-interval=1h",
    "wharf.webhook.max-attempts=4", "wharf.webhook.retry-backoff=10s", "wharf.webhook.timeout=60s", "wharf.external-url=https://wharf.example.com"})
class WebhookIT extends AccountsIntegrationTest {

    static final MutableClock CLOCK = new MutableClock();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static WebhookReceiver receiver;

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
    WebhookDispatcher dispatcher;

    @Autowired
    SecretCipher cipher;

    @Autowired
    MeterRegistry meters;

    @BeforeAll
    static void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @BeforeEach
    void resetReceiver() {
        receiver.reset();
    }

    static Map<String, Object> target(String address, String auth, String format) {
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("type", "http");
        target.put("address", address);
        target.put("auth_header", auth);
        target.put("skip_cert_verify", false);
        target.put("payload_format", format);
        return target;
    }

    static Map<String, Object> policy(String name, List<String> events, boolean enabled, Map<String, Object> target) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", "test hook");
        body.put("targets", List.of(target));
        body.put("event_types", events);
        body.put("enabled", enabled);
        return body;
    }

    long createPolicy(String project, Map<String, Object> body) {
        Response created = http.as(ADMIN).post("/api/v2.0/projects/" + project + "/webhook/policies", body);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return idFromLocation(created);
    }

    /** A private project with a policy for {@code events} posting to {@code /<project>} in {@code format}; returns the policy id. */
    long projectWithPolicy(String project, String format, String... events) {
        createProject(project, false, ADMIN);
        return createPolicy(project, policy("hook", List.of(events), true,
            target(receiver.url("/" + project).toString(), "Bearer s3cret-" + project, format)));
    }

    /** This node's count of recorded delivery attempts with {@code outcome}. */
    double deliveries(String outcome) {
        return meters.get("wharf.webhook.deliveries").tag("outcome", outcome).counter().count();
    }

    static JsonNode body(WebhookReceiver.Received request) {
        return JSON.readTree(request.body());
    }

    @Test
    void pushPullAndDeleteAreDeliveredInHarborsFormatWithTheAuthHeader() {
        String project = unique("hooks");
        projectWithPolicy(project, "Default", "PUSH_ARTIFACT", "PULL_ARTIFACT", "DELETE_ARTIFACT");
        Instant pushedAt = CLOCK.instant();
        String digest = http.as(ADMIN).push(project + "/app", "1.0", TestImage.simple(project));
        assertThat(receiver.received()).as("queued, not sent by the push").isEmpty();

        assertThat(dispatcher.deliverDueNow()).isEqualTo(1);
        List<WebhookReceiver.Received> got = receiver.received("/" + project);
        assertThat(got).hasSize(1);
        WebhookReceiver.Received push = got.get(0);
        assertThat(push.method()).isEqualTo("POST");
        assertThat(push.header("Authorization")).isEqualTo("Bearer s3cret-" + project);
        assertThat(push.header("Content-Type")).startsWith("application/json");
        JsonNode json = body(push);
        assertThat(List.copyOf(json.propertyNames())).containsExactly("type", "occur_at", "operator", "event_data");
        assertThat(json.path("type").asString()).isEqualTo("PUSH_ARTIFACT");
        assertThat(json.path("occur_at").asLong()).isEqualTo(pushedAt.getEpochSecond());
        assertThat(json.path("operator").asString()).isEqualTo("admin");
        JsonNode resource = json.path("event_data").path("resources").path(0);
        assertThat(json.path("event_data").path("resources").size()).isEqualTo(1);
        assertThat(resource.path("digest").asString()).isEqualTo(digest);
        assertThat(resource.path("tag").asString()).isEqualTo("1.0");
        assertThat(resource.path("resource_url").asString()).isEqualTo("wharf.example.com/" + project + "/app:1.0");
        JsonNode repository = json.path("event_data").path("repository");
        assertThat(repository.path("date_created").asLong()).isPositive();
        assertThat(repository.path("name").asString()).isEqualTo("app");
        assertThat(repository.path("namespace").asString()).isEqualTo(project);
        assertThat(repository.path("repo_full_name").asString()).isEqualTo(project + "/app");
        assertThat(repository.path("repo_type").asString()).isEqualTo("private");

        http.as(ADMIN).getManifest(project + "/app", "1.0").expect(200);
        assertThat(dispatcher.deliverDueNow()).isEqualTo(1);
        JsonNode pull = body(receiver.received("/" + project).get(1));
        assertThat(pull.path("type").asString()).isEqualTo("PULL_ARTIFACT");
        assertThat(pull.path("event_data").path("resources").path(0).path("digest").asString()).isEqualTo(digest);
        assertThat(pull.path("event_data").path("resources").path(0).path("tag").asString()).isEqualTo("1.0");

        http.as(ADMIN).deleteManifest(project + "/app", digest).expect(202);
        assertThat(dispatcher.deliverDueNow()).isEqualTo(1);
        JsonNode delete = body(receiver.received("/" + project).get(2));
        assertThat(delete.path("type").asString()).isEqualTo("DELETE_ARTIFACT");
        assertThat(delete.path("event_data").path("resources").path(0).path("digest").asString()).isEqualTo(digest);
        assertThat(delete.path("event_data").path("resources").path(0).path("resource_url").asString())
            .isEqualTo("wharf.example.com/" + project + "/app@" + digest);
        assertThat(delete.path("event_data").path("repository").path("repo_full_name").asString()).isEqualTo(project + "/app");
        assertThat(dispatcher.deliverDueNow()).as("each delivered once").isZero();
    }

    @Test
    void cloudEventsTargetsGetAStructuredCloudEvent() {
        String project = unique("cloud");
        long policy = projectWithPolicy(project, "CloudEvents", "PUSH_ARTIFACT");
        long projectId = jdbc.queryForObject("SELECT id FROM project WHERE name = ?", Long.class, project);
        String digest = http.as(ADMIN).push(project + "/app", "v1", TestImage.simple(project));
        dispatcher.deliverDueNow();

        WebhookReceiver.Received event = receiver.received("/" + project).get(0);
        assertThat(event.header("Content-Type")).startsWith("application/cloudevents+json");
        assertThat(event.header("Authorization")).isEqualTo("Bearer s3cret-" + project);
        JsonNode json = body(event);
        assertThat(json.path("specversion").asString()).isEqualTo("1.0");
        assertThat(json.path("id").asString()).isNotBlank();
        assertThat(json.path("source").asString()).isEqualTo("/projects/" + projectId + "/webhook/policies/" + policy);
        assertThat(json.path("type").asString()).isEqualTo("harbor.artifact.pushed");
        assertThat(json.path("datacontenttype").asString()).isEqualTo("application/json");
        assertThat(Instant.parse(json.path("time").asString())).isCloseTo(CLOCK.instant(), org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.SECONDS));
        assertThat(json.path("operator").asString()).isEqualTo("admin");
        assertThat(json.path("data").path("resources").path(0).path("digest").asString()).isEqualTo(digest);
        assertThat(json.path("data").path("repository").path("repo_full_name").asString()).isEqualTo(project + "/app");
    }

    @Test
    void failedAttemptsAreRetriedWithBackoffAndLogged() {
        String project = unique("retry");
        long policy = projectWithPolicy(project, "Default", "PUSH_ARTIFACT");
        receiver.answer(500, 500);
        http.as(ADMIN).push(project + "/app", "1", TestImage.simple(project));
        double retriesBefore = deliveries("retry");
        double successesBefore = deliveries("success");
        double errorsBefore = deliveries("error");

        assertThat(dispatcher.deliverDueNow()).as("first attempt").isEqualTo(1);
        assertThat(dispatcher.deliverDueNow()).as("not due before the backoff").isZero();
        CLOCK.advance(Duration.ofSeconds(10));
        assertThat(dispatcher.deliverDueNow()).as("second attempt after 10 s").isEqualTo(1);
        CLOCK.advance(Duration.ofSeconds(10));
        assertThat(dispatcher.deliverDueNow()).as("the backoff doubled to 20 s").isZero();
        CLOCK.advance(Duration.ofSeconds(10));
        assertThat(dispatcher.deliverDueNow()).as("third attempt").isEqualTo(1);
        assertThat(receiver.received("/" + project)).hasSize(3);
        assertThat(dispatcher.deliverDueNow()).isZero();
        assertThat(deliveries("retry") - retriesBefore).as("two failed attempts, each retried").isEqualTo(2);
        assertThat(deliveries("success") - successesBefore).isEqualTo(1);
        assertThat(deliveries("error") - errorsBefore).isZero();

        String base = "/api/v2.0/projects/" + project + "/webhook/policies/" + policy;
        Response executions = http.as(ADMIN).get(base + "/executions");
        assertThat(executions.status()).as("%s", executions).isEqualTo(200);
        JsonNode execution = executions.json().path(0);
        assertThat(execution.path("status").asString()).isEqualTo("Success");
        assertThat(execution.path("vendor_type").asString()).isEqualTo("WEBHOOK");
        assertThat(execution.path("vendor_id").asLong()).isEqualTo(policy);
        assertThat(execution.path("extra_attrs").path("event_type").asString()).isEqualTo("PUSH_ARTIFACT");
        JsonNode task = http.as(ADMIN).get(base + "/executions/" + execution.path("id").asLong() + "/tasks").json().path(0);
        assertThat(task.path("status").asString()).isEqualTo("Success");
        assertThat(task.path("run_count").asInt()).isEqualTo(3);
        Response log = http.as(ADMIN).get(base + "/executions/" + execution.path("id").asLong() + "/tasks/"
            + task.path("id").asLong() + "/log");
        assertThat(log.status()).as("%s", log).isEqualTo(200);
        List<String> lines = log.text().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("attempt 1: HTTP 500 in ").contains(" ms; next attempt at ");
        assertThat(lines.get(1)).contains("attempt 2: HTTP 500 in ");
        assertThat(lines.get(2)).contains("attempt 3: HTTP 200 in ");
    }

    @Test
    void aReceiverThatKeepsFailingIsGivenUpAfterMaxAttempts() {
        String project = unique("giveup");
        projectWithPolicy(project, "Default", "PUSH_ARTIFACT");
        receiver.answer(503, 503, 503, 503, 503);
        http.as(ADMIN).push(project + "/app", "1", TestImage.simple(project));
        double retriesBefore = deliveries("retry");
        double errorsBefore = deliveries("error");
        int attempts = 0;
        for (int i = 0; i < 6; i++) {
            attempts += dispatcher.deliverDueNow();
            CLOCK.advance(Duration.ofMinutes(5));
        }
        assertThat(receiver.received("/" + project)).as("wharf.webhook.max-attempts").hasSize(4);
        assertThat(attempts).as("no other delivery was due").isEqualTo(4);
        assertThat(deliveries("retry") - retriesBefore).isEqualTo(3);
        assertThat(deliveries("error") - errorsBefore).as("given up once").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT t.status FROM webhook_task t JOIN webhook_execution e ON e.id = t.execution_id"
            + " JOIN webhook_policy p ON p.id = e.policy_id JOIN project pr ON pr.id = p.project_id WHERE pr.name = ?",
            String.class, project)).isEqualTo("Error");
    }

    @Test
    void aHangingReceiverDoesNotSlowAPush() throws Exception {
        String project = unique("slow");
        projectWithPolicy(project, "Default", "PUSH_ARTIFACT");
        http.as(ADMIN).push(project + "/app", "1", TestImage.simple(project + "1"));
        receiver.hang();
        CompletableFuture<Integer> delivering = CompletableFuture.supplyAsync(dispatcher::deliverDueNow);
        try {
            receiver.await("/" + project, 1, Duration.ofSeconds(30));
            long start = System.nanoTime();
            String digest = http.as(ADMIN).push(project + "/app", "2", TestImage.simple(project + "2"));
            assertThat(digest).isNotBlank();
            // the receiver holds the first delivery (an attempt may wait 60 s): the push did not wait for it
            assertThat(delivering).as("the receiver still holds the first delivery").isNotDone();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        } finally {
            receiver.release();
        }
        assertThat(delivering.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(1);
        dispatcher.deliverDueNow();
        assertThat(receiver.received("/" + project)).hasSize(2);
    }

    @Test
    void aDeliveryHeldByANodeThatDiedIsTakenOverWhenItsLeaseRunsOut() {
        String project = unique("lease");
        projectWithPolicy(project, "Default", "PUSH_ARTIFACT");
        http.as(ADMIN).push(project + "/app", "1", TestImage.simple(project));
        long task = jdbc.queryForObject("SELECT t.id FROM webhook_task t JOIN webhook_execution e ON e.id = t.execution_id"
            + " JOIN webhook_policy p ON p.id = e.policy_id JOIN project pr ON pr.id = p.project_id WHERE pr.name = ?", Long.class, project);
        // another node claimed it and died while sending
        jdbc.update("UPDATE webhook_task SET status = 'Running', run_count = 1, lease_owner = 'node-dead', lease_until = ? WHERE id = ?",
            java.sql.Timestamp.from(CLOCK.instant().plus(Duration.ofMinutes(2))), task);

        assertThat(dispatcher.deliverDueNow()).as("held by the other node's lease").isZero();
        assertThat(receiver.received("/" + project)).isEmpty();
        CLOCK.advance(Duration.ofMinutes(2).plusSeconds(1));
        assertThat(dispatcher.deliverDueNow()).isEqualTo(1);
        assertThat(receiver.received("/" + project)).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT status FROM webhook_task WHERE id = ?", String.class, task)).isEqualTo("Success");
        assertThat(jdbc.queryForObject("SELECT log FROM webhook_task WHERE id = ?", String.class, task))
            .contains("its lease ran out").contains("attempt 2: HTTP 200");
    }

    @Test
    void aDisabledPolicySendsNothing() {
        String project = unique("off");
        createProject(project, false, ADMIN);
        long policy = createPolicy(project, policy("off", List.of("PUSH_ARTIFACT"), false,
            target(receiver.url("/" + project).toString(), "", "Default")));
        http.as(ADMIN).push(project + "/app", "1", TestImage.simple(project));
        assertThat(dispatcher.deliverDueNow()).isZero();
        assertThat(receiver.received("/" + project)).isEmpty();

        // enabled, an event queued, then disabled before it was sent: it is stopped, not sent
        Map<String, Object> on = policy("off", List.of("PUSH_ARTIFACT"), true, target(receiver.url("/" + project).toString(), "", "Default"));
        assertThat(http.as(ADMIN).put("/api/v2.0/projects/" + project + "/webhook/policies/" + policy, on).status()).isEqualTo(200);
        http.as(ADMIN).push(project + "/app", "2", TestImage.simple(project + "2"));
        on.put("enabled", false);
        assertThat(http.as(ADMIN).put("/api/v2.0/projects/" + project + "/webhook/policies/" + policy, on).status()).isEqualTo(200);
        double stoppedBefore = deliveries("stopped");
        assertThat(dispatcher.deliverDueNow()).isEqualTo(1);
        assertThat(receiver.received("/" + project)).isEmpty();
        assertThat(deliveries("stopped") - stoppedBefore).isEqualTo(1);
        JsonNode execution = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/webhook/policies/" + policy + "/executions")
            .json().path(0);
        assertThat(execution.path("status").asString()).isEqualTo("Stopped");
    }

    @Test
    void policiesAreHarborShapedWithTheSecretEncryptedAndMaskedAndAudited() {
        String project = unique("shape");
        createProject(project, false, ADMIN);
        String address = receiver.url("/" + project).toString();
        long id = createPolicy(project, policy("first", List.of("PUSH_ARTIFACT", "replication"), true,
            target(address, "Basic dXNlcjpwYXNz", "CloudEvents")));

        JsonNode json = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/webhook/policies/" + id).json();
        assertThat(json.path("id").asLong()).isEqualTo(id);
        assertThat(json.path("name").asString()).isEqualTo("first");
        assertThat(json.path("description").asString()).isEqualTo("test hook");
        assertThat(json.path("project_id").asLong()).isPositive();
        assertThat(json.path("enabled").asBoolean()).isTrue();
        assertThat(json.path("creator").asString()).isEqualTo("admin");
        assertThat(json.path("creation_time").asString()).isNotBlank();
        assertThat(json.path("update_time").asString()).isNotBlank();
        assertThat(json.path("event_types").valueStream().map(JsonNode::asString).toList()).containsExactly("PUSH_ARTIFACT", "REPLICATION");
        JsonNode target = json.path("targets").path(0);
        assertThat(target.path("type").asString()).isEqualTo("http");
        assertThat(target.path("address").asString()).isEqualTo(address);
        assertThat(target.path("auth_header").asString()).isEqualTo("******");
        assertThat(target.path("skip_cert_verify").asBoolean()).isFalse();
        assertThat(target.path("payload_format").asString()).isEqualTo("CloudEvents");
        String stored = jdbc.queryForObject("SELECT auth_header FROM webhook_target WHERE policy_id = ?", String.class, id);
        assertThat(stored).doesNotContain("dXNlcjpwYXNz").startsWith("v1:");
        assertThat(cipher.decrypt(stored, "webhook-policy:" + id)).isEqualTo("Basic dXNlcjpwYXNz");

        // the mask sent back keeps the secret
        Map<String, Object> update = policy("renamed", List.of("PULL_ARTIFACT"), true, target(address, "******", "Default"));
        assertThat(http.as(ADMIN).put("/api/v2.0/projects/" + project + "/webhook/policies/" + id, update).status()).isEqualTo(200);
        assertThat(cipher.decrypt(jdbc.queryForObject("SELECT auth_header FROM webhook_target WHERE policy_id = ?", String.class, id),
            "webhook-policy:" + id)).isEqualTo("Basic dXNlcjpwYXNz");
        assertThat(names(http.as(ADMIN).get("/api/v2.0/projects/" + project + "/webhook/policies"), "name")).containsExactly("renamed");

        assertThat(http.as(ADMIN).delete("/api/v2.0/projects/" + project + "/webhook/policies/" + id).status()).isEqualTo(200);
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects/" + project + "/webhook/policies/" + id), 404, "NOT_FOUND");
        assertThat(jdbc.queryForList("SELECT operation FROM audit_log WHERE resource_type = 'webhook_policy' AND resource LIKE ?"
            + " ORDER BY id", String.class, project + ":%")).containsExactly("create", "update", "delete");
    }

    @Test
    void supportedEventTypesAreListed() {
        String project = unique("events");
        createProject(project, false, ADMIN);
        JsonNode json = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/webhook/events").json();
        assertThat(json.path("event_type").valueStream().map(JsonNode::asString).toList()).contains("PUSH_ARTIFACT", "PULL_ARTIFACT",
            "DELETE_ARTIFACT", "SCANNING_COMPLETED", "SCANNING_FAILED", "QUOTA_WARNING", "QUOTA_EXCEED", "REPLICATION");
        assertThat(json.path("notify_type").valueStream().map(JsonNode::asString).toList()).containsExactly("http");
        assertThat(json.path("payload_formats").path(0).path("formats").valueStream().map(JsonNode::asString).toList())
            .containsExactly("Default", "CloudEvents");
    }

    @Test
    void theTestDeliverySendsAPingAtOnceAndReportsAFailingReceiver() {
        String project = unique("ping");
        createProject(project, false, ADMIN);
        Map<String, Object> body = policy("t", List.of("PUSH_ARTIFACT"), true,
            target(receiver.url("/" + project).toString(), "Token abc", "Default"));
        Response ok = http.as(ADMIN).post("/api/v2.0/projects/" + project + "/webhook/policies/test", body);
        assertThat(ok.status()).as("%s", ok).isEqualTo(200);
        WebhookReceiver.Received ping = receiver.received("/" + project).get(0);
        assertThat(ping.header("Authorization")).isEqualTo("Token abc");
        assertThat(body(ping).path("type").asString()).isEqualTo("PING");

        receiver.answer(500);
        JsonNode error = assertHarborError(http.as(ADMIN).post("/api/v2.0/projects/" + project + "/webhook/policies/test", body),
            400, "BAD_REQUEST");
        assertThat(error.path("message").asString()).contains("HTTP 500");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_policy p JOIN project pr ON pr.id = p.project_id"
            + " WHERE pr.name = ?", Integer.class, project)).as("a test saves nothing").isZero();
    }

    @Test
    void projectAdministratorsManageMaintainersReadOthersNothing() {
        String project = unique("perm");
        createProject(project, false, ADMIN);
        String base = "/api/v2.0/projects/" + project + "/webhook/policies";
        Map<String, Object> body = policy("p", List.of("PUSH_ARTIFACT"), true, target(receiver.url("/" + project).toString(), "", "Default"));
        Map<Integer, String> members = new LinkedHashMap<>();
        for (int role : new int[]{1, 2, 3, 4}) {
            String user = unique("u" + role);
            createUser(user);
            addMember(project, user, role);
            members.put(role, user);
        }
        Credentials projectAdmin = user(members.get(1));
        Response created = http.as(projectAdmin).post(base, body);
        assertThat(created.status()).as("project admin creates: %s", created).isEqualTo(201);
        long id = idFromLocation(created);

        Credentials maintainer = user(members.get(4));
        assertThat(http.as(maintainer).get(base).status()).isEqualTo(200);
        assertThat(http.as(maintainer).get(base + "/" + id).status()).isEqualTo(200);
        assertThat(http.as(maintainer).get(base + "/" + id + "/executions").status()).isEqualTo(200);
        assertThat(http.as(maintainer).get("/api/v2.0/projects/" + project + "/webhook/events").status()).isEqualTo(200);
        assertHarborError(http.as(maintainer).post(base, body), 403, "FORBIDDEN");
        assertHarborError(http.as(maintainer).put(base + "/" + id, body), 403, "FORBIDDEN");
        assertHarborError(http.as(maintainer).delete(base + "/" + id), 403, "FORBIDDEN");
        assertHarborError(http.as(maintainer).post(base + "/test", body), 403, "FORBIDDEN");

        for (int role : new int[]{2, 3}) {
            Credentials other = user(members.get(role));
            assertHarborError(http.as(other).get(base), 403, "FORBIDDEN");
            assertHarborError(http.as(other).get(base + "/" + id + "/executions"), 403, "FORBIDDEN");
            assertHarborError(http.as(other).post(base, body), 403, "FORBIDDEN");
        }
        String stranger = unique("stranger");
        createUser(stranger);
        assertThat(http.as(user(stranger)).get(base).status()).isIn(403, 404);
        assertHarborError(http.anonymous().get(base), 401, "UNAUTHORIZED");
        assertThat(http.as(projectAdmin).put(base + "/" + id, body).status()).isEqualTo(200);
        assertThat(http.as(projectAdmin).delete(base + "/" + id).status()).isEqualTo(200);
    }

    @Test
    void badInputIsRefusedClearly() {
        String project = unique("bad");
        createProject(project, false, ADMIN);
        String base = "/api/v2.0/projects/" + project + "/webhook/policies";
        String address = receiver.url("/" + project).toString();
        List<Map<String, Object>> bad = new ArrayList<>();
        bad.add(policy("x", List.of("PUSH_ARTIFACT"), true, target("not a url", "", "Default")));
        bad.add(policy("x", List.of("PUSH_ARTIFACT"), true, target("ftp://host/x", "", "Default")));
        bad.add(policy("x", List.of("PUSH_ARTIFACT"), true, target("http://user:pw@host/x", "", "Default")));
        bad.add(policy("x", List.of("PUSH_ARTIFACT"), true, target(address, "", "Xml")));
        bad.add(policy("x", List.of("NO_SUCH_EVENT"), true, target(address, "", "Default")));
        bad.add(policy("x", List.of(), true, target(address, "", "Default")));
        bad.add(policy("", List.of("PUSH_ARTIFACT"), true, target(address, "", "Default")));
        Map<String, Object> slack = target(address, "", "Default");
        slack.put("type", "slack");
        bad.add(policy("x", List.of("PUSH_ARTIFACT"), true, slack));
        Map<String, Object> noTargets = policy("x", List.of("PUSH_ARTIFACT"), true, target(address, "", "Default"));
        noTargets.put("targets", List.of());
        bad.add(noTargets);
        for (Map<String, Object> body : bad) {
            assertHarborError(http.as(ADMIN).post(base, body), 400, "BAD_REQUEST");
        }
        Response unreadable = http.as(ADMIN).send("POST", base, "{not json".getBytes(), "Content-Type", "application/json");
        assertThat(unreadable.status()).as("%s", unreadable).isEqualTo(400);
        assertThat(unreadable.text()).doesNotContain("Exception").doesNotContain("at io.wharf");
        assertThat(http.as(ADMIN).get(base).json().size()).as("nothing was created").isZero();

        Map<String, Object> good = policy("dup", List.of("PUSH_ARTIFACT"), true, target(address, "", "Default"));
        long id = createPolicy(project, good);
        assertHarborError(http.as(ADMIN).post(base, good), 409, "CONFLICT");
        assertHarborError(http.as(ADMIN).get(base + "/999999"), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).put(base + "/999999", good), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).delete(base + "/999999"), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).get(base + "/999999/executions"), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).get(base + "/" + id + "/executions/999999/tasks"), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects/" + unique("none") + "/webhook/policies"), 404, "NOT_FOUND");
        String other = unique("other");
        createProject(other, false, ADMIN);
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects/" + other + "/webhook/policies/" + id), 404, "NOT_FOUND");
    }
}
