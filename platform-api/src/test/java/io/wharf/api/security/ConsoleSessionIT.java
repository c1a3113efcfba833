package io.wharf.api.security;

import io.wharf.api.ApiTestApplication;
import io.wharf.testkit.ConsoleBrowser;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's surface: form login for users (never robots), a session cookie that scripts cannot
 * read and that is not sent cross-site, and CSRF on every state change that rides on the session,
 * while Basic callers of {@code /api} need no CSRF token.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.servlet.session.cookie.http-only=true", "server.servlet.session.cookie.same-site=lax"})
class ConsoleSessionIT {

    private static final String ADMIN_PASSWORD = "Admin12345";

    @LocalServerPort
    int port;

    private ConsoleBrowser browser;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        String dataDir = Files.createTempDirectory("wharf-console").toString();
        registry.add("wharf.data-dir", () -> dataDir);
        registry.add("wharf.admin-password", () -> ADMIN_PASSWORD);
    }

    @BeforeEach
    void newBrowser() {
        browser = new ConsoleBrowser();
    }

    @Test
    void formLoginOpensASessionThatTheApiAcceptsWithCsrfOnChanges() {
        HttpResponse<String> login = browser.login(port, "admin", ADMIN_PASSWORD);
        assertThat(login.statusCode()).isEqualTo(302);
        // to the dashboard, not to the API
        assertThat(login.headers().firstValue("Location").orElseThrow()).isEqualTo("http://127.0.0.1:" + port + "/");
        String setCookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("SESSION=")).findFirst()
            .orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");

        HttpResponse<String> current = browser.get(port, "/api/v2.0/users/current");
        assertThat(current.statusCode()).isEqualTo(200);
        assertThat(current.body()).contains("\"username\":\"admin\"");

        String project = "{\"project_name\":\"c" + UUID.randomUUID().toString().substring(0, 8) + "\",\"public\":false}";
        HttpResponse<String> withoutToken = browser.sendJson(port, "POST", "/api/v2.0/projects", project, false);
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(withoutToken.body()).contains("\"code\":\"FORBIDDEN\"").contains("CSRF");

        HttpResponse<String> withToken = browser.sendJson(port, "POST", "/api/v2.0/projects", project, true);
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(201);
    }

    @Test
    void basicCallersOfTheApiNeedNoCsrfTokenAndGetNoSession() {
        Response created = RegistryClient.forPort(port).as(Credentials.basic("admin", ADMIN_PASSWORD))
            .post("/api/v2.0/projects", Map.of("project_name", "b" + UUID.randomUUID().toString().substring(0, 8)));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("SESSION="));
    }

    @Test
    void wrongPasswordsAndRobotsCannotLogInToTheConsole() {
        HttpResponse<String> wrong = browser.login(port, "admin", "Wr0ngPassword");
        assertThat(wrong.statusCode()).isEqualTo(302);
        assertThat(wrong.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        assertThat(browser.get(port, "/api/v2.0/users/current").statusCode()).isEqualTo(401);

        HttpResponse<String> robot = browser.login(port, "robot$library+anything", "s3cretS3cret");
        assertThat(robot.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
    }

    @Test
    void loginWithoutTheCsrfTokenIsRefused() {
        HttpResponse<String> login = browser.postForm(port, "/login", "username=admin&password=" + ADMIN_PASSWORD);
        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(browser.get(port, "/api/v2.0/users/current").statusCode()).isEqualTo(401);
    }

    @Test
    void logoutEndsTheSession() {
        assertThat(browser.login(port, "admin", ADMIN_PASSWORD).statusCode()).isEqualTo(302);
        assertThat(browser.logout(port).statusCode()).isEqualTo(302);
        assertThat(browser.get(port, "/api/v2.0/users/current").statusCode()).isEqualTo(401);
    }
}
