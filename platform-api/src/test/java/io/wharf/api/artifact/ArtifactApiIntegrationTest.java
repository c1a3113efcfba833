package io.wharf.api.artifact;

import io.wharf.api.ApiTestApplication;
import io.wharf.core.artifact.PullRecorder;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the repository and artifact API tests: the API on a random port, on a fresh PostgreSQL
 * schema, with the store in a temporary directory and {@code admin}'s password set. Subclasses share
 * one context, so each test names its projects uniquely.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ArtifactApiIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    PullRecorder pulls;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        try {
            String dataDir = Files.createTempDirectory("wharf-artifact-it").toString();
            registry.add("wharf.data-dir", () -> dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add(TestAccounts.ADMIN_PASSWORD_PROPERTY, () -> TestAccounts.ADMIN_PASSWORD);
    }

    RegistryClient http() {
        return RegistryClient.forPort(port);
    }

    RegistryClient admin() {
        return http().as(Credentials.admin());
    }

    /** A name no other test uses: {@code prefix} and eight random hex digits. */
    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
    }

    /** A new user with {@link TestAccounts#USER_PASSWORD}, as a member of {@code project} with {@code roleId} unless 0. */
    Credentials user(String project, int roleId) {
        String username = unique("u");
        admin().createUser(username, TestAccounts.USER_PASSWORD);
        if (roleId > 0) {
            admin().addMember(project, username, roleId);
        }
        return Credentials.user(username);
    }

    /** Harbor's error body with {@code status} and {@code code}. */
    static void assertHarborError(Response response, int status, String code) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        JsonNode error = response.json().path("errors").path(0);
        assertThat(error.path("code").asString()).as("%s", response).isEqualTo(code);
        assertThat(error.path("message").asString()).as("%s", response).isNotBlank();
        assertThat(List.copyOf(error.propertyNames())).containsExactlyInAnyOrder("code", "message");
    }

    static List<String> values(Response list, String field) {
        assertThat(list.status()).as("%s", list).isEqualTo(200);
        return list.json().valueStream().map(n -> n.path(field).asString()).toList();
    }

    /** {@code /api/v2.0/projects/<project>/repositories/<rest of the name, double-encoded>}. */
    static String repositoryPath(String name) {
        int slash = name.indexOf('/');
        return "/api/v2.0/projects/" + name.substring(0, slash) + "/repositories/"
            + name.substring(slash + 1).replace("/", "%252F");
    }
}
