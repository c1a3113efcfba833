package io.wharf.web.console;

import io.wharf.testkit.ConsoleBrowser;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestAccounts;
import io.wharf.web.PlatformApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's doors, without a browser: every console page sends anonymous visitors to the login
 * page, while the login page, the static assets and the machine surfaces ({@code /v2},
 * {@code /service/token}, {@code /api}, {@code /actuator}) answer as they did before the console;
 * a login lands on the dashboard; a form posted without its CSRF token is refused; a user who is not
 * a system administrator gets the 403 page on the administration pages.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleAccessIT {

    /** Every console page a GET can open, with the ids of objects that need not exist. */
    private static final List<String> PAGES = List.of("/", "/projects", "/projects?q=lib&page=2", "/projects/library",
        "/projects/library/delete", "/projects/library/members/1/delete", "/projects/library/robots/1/delete",
        "/projects/library?page=2", "/projects/library/repositories/app/web", "/projects/library/repositories/app/web?page=2",
        "/projects/library/repositories/app/web/-/artifacts/sha256:0123/delete",
        "/projects/library/repositories/app/web/-/artifacts/sha256:0123/tags/1.0/delete", "/admin/users",
        "/admin/users/1/password", "/admin/users/1/delete", "/admin/audit", "/admin/system", "/profile", "/no-such-page");

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ConsoleTestContext.register(registry, "console-access");
    }

    @Test
    void sendsAnonymousVisitorsOfEveryConsolePageToTheLoginPage() {
        for (String page : PAGES) {
            HttpResponse<String> response = get(page, Map.of("Accept", "text/html"));
            assertThat(response.statusCode()).as(page).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).as(page).hasValue("http://127.0.0.1:" + port + "/login");
        }
    }

    @Test
    void leavesTheLoginPageAndTheStaticAssetsOpen() {
        HttpResponse<String> login = get("/login", Map.of());
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("name=\"_csrf\"").contains("name=\"username\"").contains("name=\"password\"");
        for (String asset : List.of("/static/console.css", "/static/console.js", "/static/favicon.svg")) {
            assertThat(get(asset, Map.of()).statusCode()).as(asset).isEqualTo(200);
        }
    }

    @Test
    void leavesTheMachineSurfacesAsTheyWere() {
        HttpResponse<String> v2 = get("/v2/", Map.of("Accept", "text/html"));
        assertThat(v2.statusCode()).isEqualTo(401);
        assertThat(v2.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer realm="));
        assertThat(get("/service/token?service=wharf", Map.of()).statusCode()).isEqualTo(200);

        HttpResponse<String> current = get("/api/v2.0/users/current", Map.of("Accept", "text/html"));
        assertThat(current.statusCode()).isEqualTo(401);
        assertThat(current.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Basic"));
        assertThat(current.body()).contains("\"errors\"").doesNotContain("<html");
        assertThat(get("/api/v2.0/projects", Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> missing = get("/api/v2.0/projects/no-such-project", Map.of("Accept", "text/html"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"errors\"").doesNotContain("<html");
        assertThat(RegistryClient.forPort(port).asAdmin()
            .get("/api/v2.0/users/current").status()).isEqualTo(200);

        assertThat(get("/actuator/health", Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> error = get("/error", Map.of());
        assertThat(error.statusCode()).isEqualTo(404);
        assertThat(error.body()).contains("\"errors\"");
    }

    @Test
    void logsInToTheDashboardAndRefusesFormsWithoutTheirCsrfToken() {
        ConsoleBrowser browser = new ConsoleBrowser();
        HttpResponse<String> login = browser.login(port, TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
        assertThat(login.headers().firstValue("Location")).hasValue("http://127.0.0.1:" + port + "/");
        HttpResponse<String> dashboard = browser.get(port, "/");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("Dashboard").contains("id=\"nav-users\"");

        String name = "csrf" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> refused = browser.postForm(port, "/projects", "name=" + name);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(browser.get(port, "/projects/" + name).statusCode()).isEqualTo(404);
    }

    @Test
    void showsTheForbiddenPageToUsersOnTheAdministrationPages() {
        String name = "user" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(RegistryClient.forPort(port).asAdmin()
            .post("/api/v2.0/users", Map.of("username", name, "email", name + "@example.com", "password", TestAccounts.USER_PASSWORD,
                "realname", name)).status()).isEqualTo(201);
        ConsoleBrowser browser = new ConsoleBrowser();
        browser.login(port, name, TestAccounts.USER_PASSWORD);
        assertThat(browser.get(port, "/").body()).doesNotContain("id=\"nav-users\"").contains(name);
        for (String page : List.of("/admin/users", "/admin/users/1/password", "/admin/audit", "/admin/system")) {
            HttpResponse<String> response = browser.get(port, page);
            assertThat(response.statusCode()).as(page).isEqualTo(403);
            assertThat(response.body()).as(page).contains("Not allowed").doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
