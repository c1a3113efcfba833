package io.wharf.api.replication;

import io.wharf.api.ApiTestApplication;
import io.wharf.replication.execution.ReplicationFinished;
import io.wharf.testkit.H2TestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replication on the embedded database (H2 in PostgreSQL mode, as {@code java -jar} runs with nothing
 * configured): Quartz's tables and job store work there, a manual run and a cron fire both copy, and
 * credentials are encrypted under the key kept in the data directory.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EmbeddedDatabaseReplicationIT {

    static final DockerHubEmulator HUB = new DockerHubEmulator(Clock.systemUTC());

    @LocalServerPort
    int port;

    @Autowired
    ConfigurableApplicationContext context;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        H2TestDatabase.properties("replication").forEach((key, value) -> registry.add(key, () -> value));
        TestAccounts.properties().forEach((key, value) -> registry.add(key, () -> value));
        String dataDir = Files.createTempDirectory("wharf-replication-h2").toString();
        registry.add("wharf.data-dir", () -> dataDir);
        registry.add("wharf.replication.docker-hub-api-url", () -> HUB.hubApiUrl().toString());
    }

    @AfterAll
    static void stopHub() {
        HUB.close();
    }

    @Test
    void manualAndScheduledRunsCopyOnTheEmbeddedDatabase() throws Exception {
        HUB.account("someone", "s3cret");
        String digest = HUB.push("acme/h2", "1", TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 9, 512));
        CompletableFuture<ReplicationFinished> manual = new CompletableFuture<>();
        CompletableFuture<ReplicationFinished> scheduled = new CompletableFuture<>();
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        assertThat(admin.post("/api/v2.0/projects", Map.of("project_name", "embedded", "metadata", Map.of("public", "false")))
            .status()).isEqualTo(201);
        Response registry = admin.post("/api/v2.0/registries",
            ReplicationApiIT.registry("hub", "docker-hub", HUB.registryUrl().toString(), "someone", "s3cret"));
        assertThat(registry.status()).as("%s", registry).isEqualTo(201);
        long registryId = id(registry);
        Response policy = admin.post("/api/v2.0/replication/policies", Map.of("name", "h2",
            "src_registry", Map.of("id", registryId), "dest_namespace", "embedded", "dest_namespace_replace_count", 1,
            "filters", List.of(Map.of("type", "name", "value", "acme/h2")), "trigger", Map.of("type", "manual")));
        assertThat(policy.status()).as("%s", policy).isEqualTo(201);
        long policyId = id(policy);
        context.addApplicationListener((ApplicationListener<PayloadApplicationEvent<?>>) event -> {
            if (event.getPayload() instanceof ReplicationFinished finished) {
                (manual.isDone() ? scheduled : manual).complete(finished);
            }
        });

        Response started = admin.post("/api/v2.0/replication/executions", Map.of("policy_id", policyId));
        assertThat(started.status()).as("%s", started).isEqualTo(201);
        assertThat(manual.get(60, TimeUnit.SECONDS).status().id()).isEqualTo("Succeed");
        assertThat(admin.headManifest("embedded/h2", "1").header("Docker-Content-Digest")).contains(digest);

        Response cron = admin.put("/api/v2.0/replication/policies/" + policyId,
            Map.of("trigger", Map.of("type", "scheduled", "trigger_settings", Map.of("cron", "* * * * * *"))));
        assertThat(cron.status()).as("%s", cron).isEqualTo(200);
        ReplicationFinished fired = scheduled.get(60, TimeUnit.SECONDS);
        assertThat(fired.status().id()).isEqualTo("Succeed");
        assertThat(admin.put("/api/v2.0/replication/policies/" + policyId, Map.of("enabled", false)).status()).isEqualTo(200);
        JsonList executions = new JsonList(admin.get("/api/v2.0/replication/executions?policy_id=" + policyId + "&trigger=scheduled"));
        assertThat(executions.size()).isPositive();
    }

    /** A JSON array answer. */
    private record JsonList(Response response) {
        int size() {
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            return response.json().size();
        }
    }

    private static long id(Response created) {
        String location = created.header("Location").orElseThrow();
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }
}
