package io.wharf.web.console;

import io.wharf.core.audit.AuditService;
import io.wharf.testkit.ConsoleBrowser;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.web.PlatformApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's doors, without a browser: every console page sends anonymous visitors to the login
 * page, while the login page, the static assets and the machine surfaces ({@code /v2},
 * {@code /service/token}, {@code /api}, {@code /actuator}) answer as they did before the console;
 * a login lands on the dashboard; a form posted without its CSRF token is refused; a user who is not
 * a system administrator gets the 403 page on the administration pages; a project's audit log is
 * shown to its maintainers and to administrators, filtered by operation and user, and refused to
 * other members and visitors; a project's storage used and limit are shown to its members and changed
 * by administrators only; page links keep the search and the filters.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleAccessIT {

    /** Every console page a GET can open, with the ids of objects that need not exist. */
    private static final List<String> PAGES = List.of("/", "/projects", "/projects?q=lib&page=2", "/projects/library",
        "/projects/library/delete", "/projects/library/members/1/delete", "/projects/library/robots/1/delete",
        "/projects/library?page=2", "/projects/library/logs", "/projects/library/logs?operation=push&username=a&page=2",
        "/projects/library/repositories/app/web", "/projects/library/repositories/app/web?page=2",
        "/projects/library/repositories/app/web/-/artifacts/sha256:0123/delete",
        "/projects/library/repositories/app/web/-/artifacts/sha256:0123/tags/1.0/delete",
        "/projects/library/repositories/app/web/-/artifacts/sha256:0123/vulnerabilities?severity=High", "/admin/scanners",
        "/admin/scanners/0123/delete", "/admin/users",
        "/admin/users/1/password", "/admin/users/1/delete", "/admin/audit", "/admin/system", "/profile", "/no-such-page");

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @LocalServerPort
    int port;

    @Autowired
    AuditService audit;

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
        assertThat(dashboard.body()).contains("Dashboard").contains("id=\"nav-users\"")
            .contains("href=\"/api/v2.0/swagger-ui/index.html\"");

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
        assertThat(browser.get(port, "/").body()).doesNotContain("id=\"nav-users\"").doesNotContain("swagger-ui").contains(name);
        for (String page : List.of("/admin/users", "/admin/users/1/password", "/admin/audit", "/admin/system")) {
            HttpResponse<String> response = browser.get(port, page);
            assertThat(response.statusCode()).as(page).isEqualTo(403);
            assertThat(response.body()).as(page).contains("Not allowed").doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void showsAProjectsAuditLogToItsMaintainersAndAdministratorsOnly() {
        String project = "logs" + UUID.randomUUID().toString().substring(0, 8);
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        admin.createProject(project, true);
        admin.push(project + "/app", "1.0", TestImage.simple(project));
        String maintainer = member(project, TestAccounts.ROLE_MAINTAINER);
        String developer = member(project, TestAccounts.ROLE_DEVELOPER);
        String outsider = member(project, 0);

        ConsoleBrowser maintaining = new ConsoleBrowser();
        maintaining.login(port, maintainer, TestAccounts.USER_PASSWORD);
        assertThat(maintaining.get(port, "/projects/" + project).body()).contains("id=\"project-logs\"");
        HttpResponse<String> log = maintaining.get(port, "/projects/" + project + "/logs");
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.body()).contains("id=\"project-log\"").contains(">" + project + "<").contains(project + ":" + maintainer);
        HttpResponse<String> pushes = maintaining.get(port, "/projects/" + project + "/logs?operation=push");
        assertThat(pushes.statusCode()).isEqualTo(200);
        assertThat(pushes.body()).contains("data-operation=\"push\"").contains(project + "/app:1.0")
            .doesNotContain("data-operation=\"create\"");
        assertThat(maintaining.get(port, "/projects/" + project + "/logs?username=no-such-user").body()).contains("id=\"no-entries\"");

        for (String user : List.of(developer, outsider)) {
            ConsoleBrowser other = new ConsoleBrowser();
            other.login(port, user, TestAccounts.USER_PASSWORD);
            assertThat(other.get(port, "/projects/" + project).body()).as(user).doesNotContain("id=\"project-logs\"");
            HttpResponse<String> refused = other.get(port, "/projects/" + project + "/logs");
            assertThat(refused.statusCode()).as(user).isEqualTo(403);
            assertThat(refused.body()).as(user).contains("Not allowed").doesNotContain(project + ":" + maintainer);
        }

        ConsoleBrowser administrating = new ConsoleBrowser();
        administrating.login(port, TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
        assertThat(administrating.get(port, "/projects/" + project + "/logs?operation=create").body())
            .contains("data-operation=\"create\"").doesNotContain("data-operation=\"push\"");
        assertThat(administrating.get(port, "/projects/no-such-project/logs").statusCode()).isEqualTo(404);
    }

    @Test
    void showsAProjectsStorageQuotaToItsMembersAndLetsOnlyAdministratorsChangeIt() {
        String project = "quota" + UUID.randomUUID().toString().substring(0, 8);
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        admin.createProject(project, true);
        TestImage image = TestImage.simple(project);
        admin.push(project + "/app", "1.0", image);
        String developer = member(project, TestAccounts.ROLE_DEVELOPER);
        String outsider = member(project, 0);

        ConsoleBrowser administrating = new ConsoleBrowser();
        administrating.login(port, TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
        String page = administrating.get(port, "/projects/" + project).body();
        assertThat(text(page, "quota-used")).isEqualTo(image.storedSize() + " B");
        assertThat(text(page, "quota-limit")).isEqualTo("no limit");
        assertThat(page).contains("id=\"quota-form\"").doesNotContain("id=\"quota-percent\"");
        HttpResponse<String> saved = administrating.postForm(port, "/projects/" + project + "/quota",
            "limit=1.5&unit=KiB&_csrf=" + csrf(page));
        assertThat(saved.statusCode()).isEqualTo(302);
        page = administrating.get(port, "/projects/" + project).body();
        assertThat(page).contains("The storage limit of " + project + " is now 1.5 KiB.");
        assertThat(text(page, "quota-limit")).isEqualTo("1.5 KiB");
        assertThat(text(page, "quota-percent")).isEqualTo(image.storedSize() * 100 / 1536 + " %");
        assertThat(admin.get("/api/v2.0/projects/" + project + "/summary").json().path("quota").path("hard").path("storage")
            .asLong()).isEqualTo(1536);
        HttpResponse<String> bad = administrating.postForm(port, "/projects/" + project + "/quota", "limit=-3&unit=MiB&_csrf="
            + csrf(page));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("the storage limit must be a positive number");

        // a developer sees the quota but no form, and is refused the change
        ConsoleBrowser developing = new ConsoleBrowser();
        developing.login(port, developer, TestAccounts.USER_PASSWORD);
        String seen = developing.get(port, "/projects/" + project).body();
        assertThat(text(seen, "quota-limit")).isEqualTo("1.5 KiB");
        assertThat(seen).doesNotContain("id=\"quota-form\"");
        assertThat(developing.postForm(port, "/projects/" + project + "/quota", "limit=&unit=B&_csrf=" + csrf(seen)).statusCode())
            .isEqualTo(403);
        // a visitor of the public project sees no quota
        ConsoleBrowser visiting = new ConsoleBrowser();
        visiting.login(port, outsider, TestAccounts.USER_PASSWORD);
        assertThat(visiting.get(port, "/projects/" + project).body()).doesNotContain("id=\"quota\"");
        assertThat(admin.get("/api/v2.0/projects/" + project + "/summary").json().path("quota").path("hard").path("storage")
            .asLong()).isEqualTo(1536);
    }

    private static String text(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(html);
        assertThat(m.find()).as("#%s in %s", id, html).isTrue();
        return m.group(1).strip();
    }

    private static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).isTrue();
        return java.net.URLEncoder.encode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void pageLinksKeepTheSearchAndTheFilters() {
        String prefix = "pg" + UUID.randomUUID().toString().substring(0, 6);
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        for (int i = 0; i <= Paging.SIZE; i++) {
            admin.createProject(prefix + "-" + i, false);
        }
        String project = prefix + "-0";
        admin.push(project + "/app", "1.0", TestImage.simple(prefix));
        for (int i = 0; i <= 50; i++) {
            admin.getManifest(project + "/app", "1.0").expect(200);
        }
        audit.flush();
        ConsoleBrowser browser = new ConsoleBrowser();
        browser.login(port, TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);

        String projects = browser.get(port, "/projects?q=" + prefix).body();
        assertThat(link(projects, "next")).isEqualTo("?q=" + prefix + "&page=2");
        String secondProjects = browser.get(port, link(projects, "next").replace("?", "/projects?")).body();
        assertThat(secondProjects).contains("Page 2 of 2").contains(prefix + "-9");
        assertThat(link(secondProjects, "prev")).isEqualTo("?q=" + prefix + "&page=1");

        String pulls = browser.get(port, "/projects/" + project + "/logs?operation=pull&username=adm").body();
        assertThat(pulls).contains("Page 1 of 2").contains("51 entries");
        assertThat(link(pulls, "next")).isEqualTo("?operation=pull&username=adm&page=2");
        String lastPull = browser.get(port, "/projects/" + project + "/logs?operation=pull&username=adm&page=2").body();
        assertThat(lastPull).contains("Page 2 of 2").contains("data-operation=\"pull\"").doesNotContain("data-operation=\"push\"");
        assertThat(link(lastPull, "prev")).isEqualTo("?operation=pull&username=adm&page=1");
    }

    /** The address of the page link {@code rel} ({@code next}, {@code prev}) in {@code html}, unescaped. */
    private static String link(String html, String rel) {
        Matcher link = Pattern.compile("rel=\"" + rel + "\" href=\"([^\"]*)\"").matcher(html);
        assertThat(link.find()).as("a %s link in %s", rel, html).isTrue();
        return link.group(1).replace("&amp;", "&");
    }

    /** A new user, a member of {@code project} with {@code roleId} unless 0. */
    private String member(String project, int roleId) {
        String name = "user" + UUID.randomUUID().toString().substring(0, 8);
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        admin.createUser(name, TestAccounts.USER_PASSWORD);
        if (roleId > 0) {
            admin.addMember(project, name, roleId);
        }
        return name;
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
