package io.wharf.api.system;

import io.wharf.api.ApiTestApplication;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v2.0/health} with a storage that stops working: in a context of its own, the
 * filesystem store's root is replaced by a plain file (so neither root nor anyone else can write
 * under it), and the health turns {@code unhealthy} with the storage's error, while the database
 * stays healthy; with the root back, everything is healthy again.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StorageDownHealthIT {

    private static final Path ROOT = tempDir().resolve("storage");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("wharf.data-dir", () -> ROOT.getParent().toString());
        registry.add("wharf.storage.filesystem.root", ROOT::toString);
        registry.add(TestAccounts.ADMIN_PASSWORD_PROPERTY, () -> TestAccounts.ADMIN_PASSWORD);
    }

    @Test
    void reportsUnhealthyStorageWhileTheStoreIsUnusable() throws IOException {
        RegistryClient http = RegistryClient.forPort(port).as(Credentials.NONE);
        assertThat(http.get("/api/v2.0/health").expect(200).json().path("status").asString()).isEqualTo("healthy");

        Path aside = ROOT.resolveSibling("storage-aside");
        Files.move(ROOT, aside);
        Files.writeString(ROOT, "not a directory");
        try {
            JsonNode health = http.get("/api/v2.0/health").expect(200).json();
            assertThat(health.path("status").asString()).isEqualTo("unhealthy");
            assertThat(component(health, "database").path("status").asString()).isEqualTo("healthy");
            JsonNode storage = component(health, "storage");
            assertThat(storage.path("status").asString()).isEqualTo("unhealthy");
            assertThat(storage.path("error").asString()).isNotBlank();
        } finally {
            Files.delete(ROOT);
            Files.move(aside, ROOT);
        }
        assertThat(http.get("/api/v2.0/health").expect(200).json().path("status").asString()).isEqualTo("healthy");
    }

    private static JsonNode component(JsonNode health, String name) {
        return health.path("components").valueStream().filter(c -> c.path("name").asString().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError("no component " + name + " in " + health));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("wharf-health-it");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
