package io.wharf.api.accounts;

import io.wharf.testkit.RegistryClient;
import io.wharf.api.ApiTestApplication;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.Response;
import io.wharf.testkit.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A first start without {@code wharf.admin-password}: the admin gets a random password, written to
 * {@code <data-dir>/admin.password} readable only by the owner; there is no default password.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AdminBootstrapIT {

    private static final Path DATA_DIR = AccountsIntegrationTest.tempDir().resolve("data");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("wharf.data-dir", DATA_DIR::toString);
        // no wharf.admin-password
    }

    @Test
    void writesARandomAdminPasswordOnlyTheOwnerCanRead() throws IOException {
        Path file = DATA_DIR.resolve("admin.password");
        assertThat(file).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(16).matches(".*[A-Z].*").matches(".*[a-z].*").matches(".*[0-9].*");

        RegistryClient http = RegistryClient.forPort(port);
        Response current = http.as(Credentials.basic("admin", password)).get("/api/v2.0/users/current");
        assertThat(current.status()).as("%s", current).isEqualTo(200);
        assertThat(current.json().path("username").asString()).isEqualTo("admin");
        assertThat(current.json().path("sysadmin_flag").asBoolean()).isTrue();
        assertThat(http.as(Credentials.basic("admin", password)).token().status()).isEqualTo(200);

        // no well-known default works
        for (String guess : new String[] {"Harbor12345", "admin"}) {
            Response api = http.as(Credentials.basic("admin", guess)).get("/api/v2.0/users/current");
            assertThat(api.status()).as("admin/%s on the API", guess).isEqualTo(401);
            assertThat(http.as(Credentials.basic("admin", guess)).token().status()).as("admin/%s on the token endpoint", guess).isEqualTo(401);
        }
        // and the library project exists
        assertThat(http.anonymous().get("/api/v2.0/projects/library").status()).isEqualTo(200);
    }
}
