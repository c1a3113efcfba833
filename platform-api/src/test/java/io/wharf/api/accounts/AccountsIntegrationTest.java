package io.wharf.api.accounts;

import io.wharf.testkit.RegistryClient;
import io.wharf.api.ApiTestApplication;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.Response;
import io.wharf.testkit.PostgresTestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the identity integration tests: the API on a random port, on a fresh PostgreSQL schema,
 * with a data directory of its own and the {@code admin} password set. Subclasses without extra
 * configuration share one context, so every test names its users, projects and robots uniquely.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class AccountsIntegrationTest {

    protected static final String ADMIN_PASSWORD = "Admin12345";
    protected static final Credentials ADMIN = Credentials.basic("admin", ADMIN_PASSWORD);
    protected static final String PASSWORD = "Passw0rdOk";

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected RegistryClient http;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        Path dataDir = tempDir();
        registry.add("wharf.data-dir", dataDir::toString);
        registry.add("wharf.admin-password", () -> ADMIN_PASSWORD);
    }

    @BeforeEach
    void client() {
        http = RegistryClient.forPort(port);
    }

    /** A name no other test uses: {@code prefix} and eight random lower-case hex digits. */
    protected static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
    }

    /** Creates a user (as admin) with {@link #PASSWORD}; returns its id. */
    protected long createUser(String username) {
        return createUser(username, PASSWORD);
    }

    protected long createUser(String username, String password) {
        Response created = http.as(ADMIN).post("/api/v2.0/users", Map.of("username", username, "password", password,
            "email", username + "@example.com", "realname", "Real " + username));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return idFromLocation(created);
    }

    /** Creates a project as {@code creator}; returns its id. */
    protected long createProject(String name, boolean isPublic, Credentials creator) {
        Response created = http.as(creator).post("/api/v2.0/projects", Map.of("project_name", name, "metadata", Map.of("public", String.valueOf(isPublic))));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return idFromLocation(created);
    }

    /** Adds {@code username} to {@code project} with {@code roleId} (as admin); returns the member id. */
    protected long addMember(String project, String username, int roleId) {
        Response added = http.as(ADMIN).post("/api/v2.0/projects/" + project + "/members", Map.of("role_id", roleId, "member_user", Map.of("username", username)));
        assertThat(added.status()).as("%s", added).isEqualTo(201);
        return idFromLocation(added);
    }

    protected static long idFromLocation(Response response) {
        String location = response.header("Location").orElseThrow(() -> new AssertionError("no Location: " + response));
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }

    protected static Credentials user(String username) {
        return Credentials.basic(username, PASSWORD);
    }

    /** Asserts Harbor's error body, {@code {"errors":[{"code","message"}]}}, with {@code status} and {@code code}. */
    protected static JsonNode assertHarborError(Response response, int status, String code) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.header("Content-Type").orElse("")).as("%s", response).startsWith("application/json");
        JsonNode errors = response.json().path("errors");
        assertThat(errors.isArray()).as("%s", response).isTrue();
        assertThat(errors.size()).as("%s", response).isEqualTo(1);
        JsonNode error = errors.get(0);
        assertThat(error.path("code").asString()).as("%s", response).isEqualTo(code);
        assertThat(error.path("message").asString()).as("%s", response).isNotBlank();
        assertThat(List.copyOf(error.propertyNames())).as("Harbor's Error has only code and message: %s", response)
            .containsExactlyInAnyOrder("code", "message");
        return error;
    }

    /** The OCI error body of {@code /v2} and {@code /service/token}, with {@code status} and {@code code}. */
    protected static void assertOciError(Response response, int status, String code) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.json().path("errors").path(0).path("code").asString()).as("%s", response).isEqualTo(code);
    }

    protected static List<String> names(Response list, String field) {
        return response(list).valueStream().map(n -> n.path(field).asString()).toList();
    }

    private static JsonNode response(Response list) {
        assertThat(list.status()).as("%s", list).isEqualTo(200);
        JsonNode json = list.json();
        assertThat(json.isArray()).as("%s", list).isTrue();
        return json;
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("wharf-accounts-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
