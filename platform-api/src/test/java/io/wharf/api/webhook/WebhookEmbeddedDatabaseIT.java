package io.wharf.api.webhook;

import io.wharf.api.ApiTestApplication;
import io.wharf.replication.execution.ReplicationFinished;
import io.wharf.testkit.H2TestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator;
import io.wharf.testkit.webhook.WebhookReceiver;
import io.wharf.webhook.delivery.WebhookDispatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks on the embedded database (H2 in PostgreSQL mode): the queue's claim ({@code FOR UPDATE SKIP
 * LOCKED}), a retry and the log work there; and the end of a replication reaches the webhooks of the
 * project it wrote into, as a {@code REPLICATION} event (after the copy's own {@code PUSH_ARTIFACT}).
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(WebhookEmbeddedDatabaseIT.Beans.class)
class WebhookEmbeddedDatabaseIT {

    static final DockerHubEmulator HUB = new DockerHubEmulator(Clock.systemUTC());
    static final WebhookReceiver RECEIVER = WebhookReceiver.start();

    @TestConfiguration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        Ended ended() {
            return new Ended();
        }
    }

    /** The end of a replication execution, once committed. */
    static class Ended {
        final CompletableFuture<ReplicationFinished> next = new CompletableFuture<>();

        @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
        void on(ReplicationFinished finished) {
            next.complete(finished);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    WebhookDispatcher dispatcher;

    @Autowired
    Ended ended;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        H2TestDatabase.properties("webhooks").forEach((key, value) -> registry.add(key, () -> value));
        TestAccounts.properties().forEach((key, value) -> registry.add(key, () -> value));
        String dataDir = Files.createTempDirectory("wharf-webhooks-h2").toString();
        registry.add("wharf.data-dir", () -> dataDir);
        registry.add("wharf.replication.docker-hub-api-url", () -> HUB.hubApiUrl().toString());
        registry.add("wharf.webhook.poll-interval", () -> "1h");
        registry.add("wharf.webhook.retry-backoff", () -> "0s");
    }

    @AfterAll
    static void stop() {
        HUB.close();
        RECEIVER.close();
    }

    @Test
    void pushesAreDeliveredAndRetriedAndAReplicationIsAnnounced() throws Exception {
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        admin.createProject("embedded", false);
        Response policy = admin.post("/api/v2.0/projects/embedded/webhook/policies", Map.of("name", "hook",
            "targets", List.of(Map.of("type", "http", "address", RECEIVER.url("/embedded").toString(), "payload_format", "Default")),
            "event_types", List.of("PUSH_ARTIFACT", "REPLICATION"), "enabled", true));
        assertThat(policy.status()).as("%s", policy).isEqualTo(201);

        RECEIVER.answer(500);
        admin.push("embedded/app", "1", TestImage.simple("embedded"));
        assertThat(dispatcher.deliverDueNow()).as("a failure, then the retry (no backoff here)").isEqualTo(2);
        assertThat(RECEIVER.received("/embedded")).hasSize(2);
        assertThat(JsonMapper.builder().build().readTree(RECEIVER.received("/embedded").get(1).body()).path("type").asString())
            .isEqualTo("PUSH_ARTIFACT");

        HUB.push("acme/h2", "1", TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 9, 512));
        Response registry = admin.post("/api/v2.0/registries", Map.of("name", "hub", "type", "docker-hub",
            "url", HUB.registryUrl().toString(), "insecure", false));
        assertThat(registry.status()).as("%s", registry).isEqualTo(201);
        Response replication = admin.post("/api/v2.0/replication/policies", Map.of("name", "h2",
            "src_registry", Map.of("id", RegistryClient.idFromLocation(registry)), "dest_namespace", "embedded",
            "dest_namespace_replace_count", 1, "filters", List.of(Map.of("type", "name", "value", "acme/h2")),
            "trigger", Map.of("type", "manual")));
        assertThat(replication.status()).as("%s", replication).isEqualTo(201);
        assertThat(admin.post("/api/v2.0/replication/executions", Map.of("policy_id", RegistryClient.idFromLocation(replication)))
            .status()).isEqualTo(201);
        assertThat(ended.next.get(60, TimeUnit.SECONDS).status().id()).isEqualTo("Succeed");

        // the copy is a push into the project (by the replication), and then the execution's end
        assertThat(dispatcher.deliverDueNow()).isEqualTo(2);
        List<JsonNode> events = RECEIVER.received("/embedded").subList(2, 4).stream()
            .map(r -> JsonMapper.builder().build().readTree(r.body())).toList();
        JsonNode copied = events.stream().filter(e -> e.path("type").asString().equals("PUSH_ARTIFACT")).findFirst().orElseThrow();
        assertThat(copied.path("event_data").path("repository").path("repo_full_name").asString()).isEqualTo("embedded/h2");
        JsonNode event = events.stream().filter(e -> e.path("type").asString().equals("REPLICATION")).findFirst().orElseThrow();
        assertThat(event.path("type").asString()).isEqualTo("REPLICATION");
        assertThat(event.path("operator").asString()).isEqualTo("replication");
        assertThat(event.path("event_data").path("replication").path("job_status").asString()).isEqualTo("Succeed");
        assertThat(event.path("event_data").path("replication").path("policy_name").asString()).isEqualTo("h2");
        assertThat(event.path("event_data").path("replication").path("repositories").path(0).asString()).isEqualTo("embedded/h2");
    }
}
