package io.wharf.api.security;

import io.wharf.api.ApiTestApplication;
import io.wharf.testkit.PostgresTestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    private CookieManager cookies;
    private HttpClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        String dataDir = Files.createTempDirectory("wharf-console").toString();
        registry.add("wharf.data-dir", () -> dataDir);
        registry.add("wharf.admin-password", () -> ADMIN_PASSWORD);
    }

    @BeforeEach
    void newBrowser() {
        cookies = new CookieManager();
        client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Test
    void formLoginOpensASessionThatTheApiAcceptsWithCsrfOnChanges() throws Exception {
        HttpResponse<String> login = login("admin", ADMIN_PASSWORD);
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith("/api/v2.0/users/current");
        String setCookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("SESSION=")).findFirst()
            .orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");

        HttpResponse<String> current = send(HttpRequest.newBuilder(uri("/api/v2.0/users/current")).GET());
        assertThat(current.statusCode()).isEqualTo(200);
        assertThat(current.body()).contains("\"username\":\"admin\"");

        String project = "{\"project_name\":\"c" + UUID.randomUUID().toString().substring(0, 8) + "\",\"public\":false}";
        HttpResponse<String> withoutToken = send(HttpRequest.newBuilder(uri("/api/v2.0/projects"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(project)));
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(withoutToken.body()).contains("\"code\":\"FORBIDDEN\"").contains("CSRF");

        HttpResponse<String> withToken = send(HttpRequest.newBuilder(uri("/api/v2.0/projects"))
            .header("Content-Type", "application/json").header("X-XSRF-TOKEN", cookie("XSRF-TOKEN"))
            .POST(HttpRequest.BodyPublishers.ofString(project)));
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(201);
    }

    @Test
    void basicCallersOfTheApiNeedNoCsrfToken() throws Exception {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        String project = "{\"project_name\":\"b" + UUID.randomUUID().toString().substring(0, 8) + "\"}";
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/v2.0/projects")).header("Authorization", basic)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(project)));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("SESSION="));
    }

    @Test
    void wrongPasswordsAndRobotsCannotLogInToTheConsole() throws Exception {
        HttpResponse<String> wrong = login("admin", "Wr0ngPassword");
        assertThat(wrong.statusCode()).isEqualTo(302);
        assertThat(wrong.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        assertThat(send(HttpRequest.newBuilder(uri("/api/v2.0/users/current")).GET()).statusCode()).isEqualTo(401);

        HttpResponse<String> robot = login("robot$library+anything", "s3cretS3cret");
        assertThat(robot.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
    }

    @Test
    void loginWithoutTheCsrfTokenIsRefused() throws Exception {
        HttpResponse<String> login = send(HttpRequest.newBuilder(uri("/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + ADMIN_PASSWORD)));
        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(send(HttpRequest.newBuilder(uri("/api/v2.0/users/current")).GET()).statusCode()).isEqualTo(401);
    }

    @Test
    void logoutEndsTheSession() throws Exception {
        assertThat(login("admin", ADMIN_PASSWORD).statusCode()).isEqualTo(302);
        HttpResponse<String> logout = send(HttpRequest.newBuilder(uri("/logout")).header("X-XSRF-TOKEN", cookie("XSRF-TOKEN"))
            .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(send(HttpRequest.newBuilder(uri("/api/v2.0/users/current")).GET()).statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> login(String username, String password) throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/login")).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher csrf = CSRF_FIELD.matcher(page.body());
        assertThat(csrf.find()).as(page.body()).isTrue();
        String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(uri("/login")).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).map(HttpCookie::getValue)
            .findFirst().orElseThrow(() -> new AssertionError("no cookie " + name + " in " + cookies.getCookieStore().getCookies()));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
