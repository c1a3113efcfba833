package io.wharf.web.deploy;

import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.web.PlatformApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What orchestrators and Prometheus ask a node, with {@code wharf.metrics.token} set (as the Helm
 * chart sets it): {@code /metrics} only with the bearer token; the probes the chart and the
 * Dockerfile use; and, with the blob store made unusable (its root replaced by a plain file),
 * readiness down (503) while liveness stays up, and {@code /api/v2.0/health} answering 200 in
 * Harbor's shape with the storage unhealthy and its error.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NodeEndpointsIT {

    private static final String TOKEN = "scrape-token-for-tests";
    private static final Path ROOT = tempDir().resolve("storage");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        TestAccounts.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("wharf.data-dir", () -> ROOT.getParent().toString());
        registry.add("wharf.storage.filesystem.root", ROOT::toString);
        registry.add("wharf.metrics.token", () -> TOKEN);
    }

    @Test
    void metricsNeedTheBearerTokenWhenOneIsSet() {
        RegistryClient http = RegistryClient.forPort(port).anonymous();
        Response anonymous = http.get("/metrics").expect(401);
        assertThat(anonymous.headerValue("WWW-Authenticate")).isEqualTo("Bearer realm=\"wharf-metrics\"");
        http.get("/metrics", "Authorization", "Bearer not-" + TOKEN).expect(401);
        // an account is no way in: only the token opens the scrape
        RegistryClient.forPort(port).asAdmin().get("/metrics").expect(401);
        assertThat(http.get("/metrics", "Authorization", "Bearer " + TOKEN).expect(200).text()).contains("jvm_memory_used_bytes");
    }

    @Test
    void readinessFollowsTheStorageWhileLivenessDoesNot() throws IOException {
        RegistryClient http = RegistryClient.forPort(port).anonymous();
        http.get("/actuator/health/liveness").expect(200);
        http.get("/actuator/health/readiness").expect(200);
        assertThat(http.get("/api/v2.0/health").expect(200).json().path("status").asString()).isEqualTo("healthy");

        Path aside = ROOT.resolveSibling("storage-aside");
        Files.move(ROOT, aside);
        Files.writeString(ROOT, "not a directory");
        try {
            http.get("/actuator/health/readiness").expect(503);
            http.get("/actuator/health").expect(503);
            http.get("/actuator/health/liveness").expect(200);
            // Harbor's health answers 200 and carries the verdict in its body
            JsonNode health = http.get("/api/v2.0/health").expect(200).json();
            assertThat(health.path("status").asString()).isEqualTo("unhealthy");
            assertThat(component(health, "database").path("status").asString()).isEqualTo("healthy");
            assertThat(component(health, "database").has("error")).isFalse();
            assertThat(component(health, "storage").path("status").asString()).isEqualTo("unhealthy");
            assertThat(component(health, "storage").path("error").asString()).isNotBlank();
        } finally {
            Files.delete(ROOT);
            Files.move(aside, ROOT);
        }
        http.get("/actuator/health/readiness").expect(200);
    }

    private static JsonNode component(JsonNode health, String name) {
        return health.path("components").valueStream().filter(c -> c.path("name").asString().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError("no component " + name + " in " + health));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("wharf-node-endpoints");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
