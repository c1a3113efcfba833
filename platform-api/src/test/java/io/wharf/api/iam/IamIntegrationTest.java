package io.wharf.api.iam;

import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestAccounts;
import io.wharf.api.ApiTestApplication;
import io.wharf.testkit.PostgresTestDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Base of the identity integration tests: the API on a random port, on a fresh PostgreSQL schema,
 * with the store in a temporary directory and {@code admin}'s password set. Subclasses share one
 * context, so each uses its own user, project and repository names.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class IamIntegrationTest {

    static final Path DATA_DIR = tempDir();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("wharf.data-dir", DATA_DIR::toString);
        registry.add("wharf.admin-password", () -> TestAccounts.ADMIN_PASSWORD);
    }

    RegistryClient http() {
        return RegistryClient.forPort(port);
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("wharf-iam-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
