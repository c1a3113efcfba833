package io.wharf.api.system;

import io.wharf.api.ApiTestApplication;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document at {@code /api/v2.0/openapi.json} lists every {@code /api/v2.0} path the
 * application serves, and nothing of {@code /v2}; Swagger UI is served from the jar to system
 * administrators only; {@code /v2} behaves as before.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiIT {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        String dataDir = Files.createTempDirectory("wharf-openapi-it").toString();
        registry.add("wharf.data-dir", () -> dataDir);
        registry.add(TestAccounts.ADMIN_PASSWORD_PROPERTY, () -> TestAccounts.ADMIN_PASSWORD);
    }

    @Test
    void documentListsEveryApiPathServed() {
        Set<String> served = new TreeSet<>();
        // Wharf's handlers; springdoc's own (the document, its YAML form, the UI redirect) are not part of the API
        mappings.getHandlerMethods().forEach((info, handler) -> info.getPatternValues().stream()
            .filter(p -> p.startsWith("/api/v2.0/") && handler.getBeanType().getName().startsWith("io.wharf."))
            .forEach(served::add));
        assertThat(served).contains("/api/v2.0/ping", "/api/v2.0/audit-logs", "/api/v2.0/projects/{project}/metadatas/{name}");

        Response doc = RegistryClient.forPort(port).as(Credentials.NONE).get("/api/v2.0/openapi.json").expect(200);
        JsonNode json = doc.json();
        assertThat(json.path("openapi").asString()).startsWith("3.");
        Set<String> documented = new TreeSet<>(json.path("paths").propertyNames());
        assertThat(documented).isEqualTo(served);
        assertThat(json.path("info").path("title").asString()).isEqualTo("Wharf API");
    }

    @Test
    void documentDescribesTheProxyCacheFieldsOfTheProjectSummary() {
        JsonNode schemas = RegistryClient.forPort(port).as(Credentials.NONE).get("/api/v2.0/openapi.json").expect(200).json()
            .path("components").path("schemas");
        assertThat(schemas.path("ProjectSummary").path("properties").propertyNames())
            .contains("repo_count", "registry", "proxy_cache");
        JsonNode proxyCache = schemas.path("ProxyCacheStatistics").path("properties");
        assertThat(proxyCache.propertyNames())
            .containsExactlyInAnyOrder("hits", "misses", "stale", "coalesced", "fetched_bytes", "hit_rate", "cache_size");
        assertThat(proxyCache.path("hit_rate").path("description").asString()).contains("hits + stale");
        assertThat(schemas.path("ProjectSummaryRegistry").path("properties").propertyNames()).contains("id", "name", "type", "url");
    }

    @Test
    void swaggerUiIsServedToSystemAdministratorsOnly() {
        RegistryClient http = RegistryClient.forPort(port);
        String user = "openapi-user";
        http.asAdmin().createUser(user, TestAccounts.USER_PASSWORD);
        Response page = http.asAdmin().get("/api/v2.0/swagger-ui/index.html");
        assertThat(page.status()).as("%s", page).isEqualTo(200);
        assertThat(page.text()).contains("swagger-ui");
        Response config = http.asAdmin().get("/api/v2.0/openapi.json/swagger-config");
        assertThat(config.status()).as("%s", config).isEqualTo(200);
        assertThat(config.text()).contains("/api/v2.0/openapi.json");

        assertThat(http.as(Credentials.user(user)).get("/api/v2.0/swagger-ui/index.html").status()).isEqualTo(403);
        Response anonymous = http.as(Credentials.NONE).get("/api/v2.0/swagger-ui/index.html");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.challenge()).startsWith("Basic");
    }

    @Test
    void registryProtocolIsUnchanged() {
        Response v2 = RegistryClient.forPort(port).as(Credentials.NONE).get("/v2/");
        assertThat(v2.status()).isEqualTo(401);
        assertThat(v2.challenge()).startsWith("Bearer realm=");
        // springdoc's default location is not served: outside /api it is a console path, which sends anonymous callers to log in
        Response defaultDocs = RegistryClient.forPort(port).as(Credentials.NONE).get("/v3/api-docs");
        assertThat(defaultDocs.status()).isIn(302, 404);
        assertThat(defaultDocs.text()).doesNotContain("openapi");
    }
}
