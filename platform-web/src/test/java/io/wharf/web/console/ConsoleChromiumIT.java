package io.wharf.web.console;

import io.wharf.core.artifact.PullRecorder;
import io.wharf.core.audit.AuditService;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.MutableClock;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.web.PlatformApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium against a real Wharf on PostgreSQL: an administrator
 * creates a user, a project, a member and a robot (whose secret is shown once), makes the project
 * public and removes the member; a user sees no administration and gets the 403 page there, and
 * changes their password; a form without its CSRF token is refused; a robot cannot log in; pushed
 * images appear on their repository's page with tags, platforms and pull commands, and a tag is
 * deleted after its confirmation, as is an artifact, and a pull command is copied, while a visitor
 * sees no delete buttons and is refused the deletion; artifacts show their pull counts; a project's
 * audit log is filtered by operation; administrators reach Swagger UI from the menu; the dashboard
 * charts the storage by project and pushes and pulls per day with their numbers. Screenshots of the
 * main pages land in {@code target/screenshots}.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MutableClockConfiguration.class) // the dashboard's test moves it back to push and pull on an earlier day
class ConsoleChromiumIT {

    private static Chromium browser;

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    AuditService audit;

    @Autowired
    PullRecorder pulls;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ConsoleTestContext.register(registry, "console-chromium");
    }

    @BeforeEach
    void freshSession() throws IOException {
        if (browser == null) {
            browser = Chromium.start(port);
        }
        browser.open("/login");
        browser.clearCookies();
    }

    @AfterAll
    static void quit() throws IOException {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    void anAdministratorManagesUsersProjectsMembersAndRobots() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String user = "alice" + suffix;
        String project = "team" + suffix;
        browser.login(TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
        assertThat(browser.path()).isEqualTo("/");
        assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Dashboard");

        // a user, through the administration
        browser.clickAndWait(browser.find(By.id("nav-users")));
        browser.find(By.cssSelector("#create-user")).findElement(By.xpath("ancestor::details/summary")).click();
        browser.type(By.id("user-username"), user);
        browser.type(By.id("user-password"), TestAccounts.USER_PASSWORD);
        browser.type(By.id("user-email"), user + "@example.com");
        browser.type(By.id("user-realname"), "Alice Example");
        browser.clickAndWait(browser.find(By.cssSelector("#create-user button[type=submit]")));
        assertThat(browser.find(By.cssSelector(".flash.notice")).getText()).contains("User " + user + " created");
        assertThat(browser.has(By.cssSelector("tr[data-user='" + user + "']"))).isTrue();
        browser.screenshot("users");

        // a project
        browser.open("/projects");
        if (!browser.find(By.id("project-name")).isDisplayed()) {
            browser.find(By.cssSelector("#create-project")).findElement(By.xpath("ancestor::details/summary")).click();
        }
        browser.type(By.id("project-name"), project);
        browser.clickAndWait(browser.find(By.cssSelector("#create-project button[type=submit]")));
        assertThat(browser.path()).isEqualTo("/projects/" + project);
        assertThat(browser.find(By.id("project-access")).getText()).isEqualTo("private");

        // a member, whose role changes
        browser.type(By.id("member-username"), user);
        new Select(browser.find(By.id("member-role"))).selectByVisibleText("Developer");
        browser.clickAndWait(browser.find(By.cssSelector("#add-member button[type=submit]")));
        assertThat(browser.find(By.cssSelector(".flash.notice")).getText()).contains(user + " added as Developer");
        WebElement row = browser.find(By.cssSelector("tr[data-member='" + user + "']"));
        new Select(row.findElement(By.tagName("select"))).selectByVisibleText("Maintainer");
        browser.clickAndWait(row.findElement(By.cssSelector("button[type=submit]")));
        assertThat(browser.find(By.cssSelector(".flash.notice")).getText()).contains(user + " is now Maintainer");

        // a robot: the secret is on the answer to its creation, and nowhere afterwards
        if (!browser.find(By.id("robot-name")).isDisplayed()) {
            browser.find(By.id("create-robot")).findElement(By.xpath("ancestor::details/summary")).click();
        }
        browser.type(By.id("robot-name"), "ci");
        browser.type(By.id("robot-description"), "builds the images");
        browser.find(By.id("robot-push")).click();
        new Select(browser.find(By.id("robot-duration"))).selectByVisibleText("90 days");
        browser.screenshot("project-before-robot");
        browser.clickAndWait(browser.find(By.cssSelector("#create-robot button[type=submit]")));
        String robot = browser.find(By.id("robot-full-name")).getText();
        String secret = browser.find(By.id("robot-secret")).getDomProperty("value");
        assertThat(robot).isEqualTo("robot$" + project + "+ci");
        assertThat(secret).matches("[0-9a-f]{64}");
        assertThat(browser.text()).contains("shown only this once");
        browser.screenshot("robot-secret");
        assertThat(RegistryClient.forPort(port).as(Credentials.basic(robot, secret)).get("/v2/").status()).isEqualTo(200);
        browser.clickAndWait(browser.find(By.id("back-to-project")));
        assertThat(browser.has(By.cssSelector("tr[data-robot='" + robot + "']"))).isTrue();
        assertThat(browser.driver().getPageSource()).doesNotContain(secret);
        browser.open("/projects/" + project);
        assertThat(browser.driver().getPageSource()).doesNotContain(secret);

        // public
        browser.find(By.id("settings-public")).click();
        browser.clickAndWait(browser.find(By.id("save-settings")));
        assertThat(browser.find(By.id("project-access")).getText()).isEqualTo("public");
        assertThat(browser.find(By.cssSelector(".flash.notice")).getText()).contains("is now public");
        browser.screenshot("project");

        // the member goes, after a confirmation
        browser.clickAndWait(browser.find(By.cssSelector("tr[data-member='" + user + "'] a.button")));
        assertThat(browser.path()).endsWith("/delete");
        assertThat(browser.find(By.tagName("h1")).getText()).contains("Remove " + user);
        browser.screenshot("confirm");
        browser.clickAndWait(browser.find(By.id("confirm")));
        assertThat(browser.path()).isEqualTo("/projects/" + project);
        assertThat(browser.has(By.cssSelector("tr[data-member='" + user + "']"))).isFalse();

        // the project's audit log, narrowed to changes
        browser.clickAndWait(browser.find(By.id("project-logs")));
        assertThat(browser.path()).isEqualTo("/projects/" + project + "/logs");
        assertThat(browser.find(By.id("project-log")).getText()).contains(robot).contains(project + ":" + user);
        new Select(browser.find(By.id("log-operation"))).selectByVisibleText("update");
        browser.clickAndWait(browser.find(By.cssSelector("#log-filter button[type=submit]")));
        assertThat(browser.path()).startsWith("/projects/" + project + "/logs?operation=update");
        assertThat(browser.driver().findElements(By.cssSelector("#project-log tbody tr"))).isNotEmpty()
            .allSatisfy(entry -> assertThat(entry.getDomAttribute("data-operation")).isEqualTo("update"));
        browser.screenshot("project-logs");

        // the other pages
        browser.open("/projects");
        assertThat(browser.has(By.linkText(project))).isTrue();
        browser.screenshot("projects");
        browser.open("/admin/audit");
        assertThat(browser.find(By.id("audit")).getText()).contains("robot").contains(project);
        browser.screenshot("audit");
        browser.open("/admin/system");
        assertThat(browser.find(By.id("system-database")).getText()).startsWith("PostgreSQL");
        assertThat(browser.find(By.id("system-storage")).getText()).isEqualTo("filesystem");
        browser.screenshot("system");
        browser.clickAndWait(browser.find(By.id("nav-api")));
        assertThat(browser.find(By.cssSelector(".swagger-ui .info .title")).getText()).contains("Wharf API");
        browser.screenshot("swagger-ui");
        browser.open("/");
        assertThat(browser.has(By.id("recent-events"))).isTrue();
        assertThat(browser.has(By.id("statistics"))).isTrue();
        browser.screenshot("dashboard");

        browser.logout();
        assertThat(browser.path()).isEqualTo("/login?logout");
        assertThat(browser.text()).contains("You have logged out");
        browser.open("/projects");
        assertThat(browser.path()).isEqualTo("/login");
    }

    @Test
    void aUserSeesNoAdministrationAndChangesTheirPassword() {
        String user = "bob" + UUID.randomUUID().toString().substring(0, 6);
        createUser(user);
        browser.login(user, TestAccounts.USER_PASSWORD);
        assertThat(browser.path()).isEqualTo("/");
        assertThat(browser.has(By.id("nav-users"))).isFalse();
        assertThat(browser.has(By.id("nav-audit"))).isFalse();
        assertThat(browser.has(By.id("nav-api"))).isFalse();
        assertThat(browser.has(By.id("recent-events"))).isFalse();
        for (String page : List.of("/admin/users", "/admin/audit", "/admin/system")) {
            browser.open(page);
            assertThat(browser.find(By.tagName("h1")).getText()).as(page).isEqualTo("Not allowed");
            assertThat(browser.text()).doesNotContain("Exception");
        }
        browser.screenshot("forbidden");
        browser.open("/projects/no-such-project");
        assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Not found");

        browser.open("/profile");
        browser.type(By.id("old-password"), "Wr0ngPassword");
        browser.type(By.id("new-password"), "N3wPassword");
        browser.type(By.id("confirm-password"), "N3wPassword");
        browser.clickAndWait(browser.find(By.cssSelector("#change-password button[type=submit]")));
        assertThat(browser.find(By.cssSelector(".flash.alert")).getText()).contains("old password is wrong");
        browser.screenshot("profile");
        browser.type(By.id("old-password"), TestAccounts.USER_PASSWORD);
        browser.type(By.id("new-password"), "N3wPassword");
        browser.type(By.id("confirm-password"), "N3wPassword");
        browser.clickAndWait(browser.find(By.cssSelector("#change-password button[type=submit]")));
        assertThat(browser.path()).isEqualTo("/login?changed");
        assertThat(browser.text()).contains("Your password was changed");
        browser.login(user, "N3wPassword");
        assertThat(browser.path()).isEqualTo("/");
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefused() {
        browser.login(TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
        browser.open("/projects");
        String project = "forged" + UUID.randomUUID().toString().substring(0, 6);
        ((JavascriptExecutor) browser.driver()).executeScript("""
            const form = document.createElement('form');
            form.method = 'post';
            form.action = '/projects';
            const name = document.createElement('input');
            name.name = 'name';
            name.value = arguments[0];
            form.appendChild(name);
            document.body.appendChild(form);
            form.submit();""", project);
        browser.find(By.className("error-page"));
        assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        browser.screenshot("csrf-refused");
        browser.open("/projects/" + project);
        assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Not found");
    }

    @Test
    void aRobotCannotLogIn() {
        var created = RegistryClient.forPort(port).asAdmin().post("/api/v2.0/robots", Map.of("name",
            "r" + UUID.randomUUID().toString().substring(0, 6), "level", "project", "duration", -1, "permissions",
            List.of(Map.of("kind", "project", "namespace", "library", "access",
                List.of(Map.of("resource", "repository", "action", "pull")))))).json();
        browser.login(created.path("name").asString(), created.path("secret").asString());
        assertThat(browser.path()).isEqualTo("/login?error");
        assertThat(browser.text()).contains("Robot accounts cannot log in here");
        browser.screenshot("login-refused");
        browser.open("/");
        assertThat(browser.path()).isEqualTo("/login");
        browser.screenshot("login");
    }

    @Test
    void aPushedImageAppearsOnItsRepositoryPageWithItsPullsAndATagAndAnArtifactAreDeleted() {
        String project = "repos" + UUID.randomUUID().toString().substring(0, 6);
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        admin.createProject(project, false);
        TestImage image = TestImage.create(TestImage.Format.OCI, "console " + project);
        String digest = admin.push(project + "/app/web", "1.0", image);
        admin.push(project + "/app/web", "latest", image);
        TestImage.Blob index = pushIndex(admin, project + "/app/web", "multi");
        String indexDigest = "sha256:" + index.digest().replace("sha256:", "");
        admin.getManifest(project + "/app/web", "latest").expect(200);
        admin.getManifest(project + "/app/web", digest).expect(200);
        pulls.flush();

        browser.login(TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
        browser.open("/projects/" + project);
        WebElement listed = browser.find(By.cssSelector("tr[data-repository='" + project + "/app/web']"));
        assertThat(listed.getText()).contains("app/web");
        browser.screenshot("project-repositories");
        browser.clickAndWait(listed.findElement(By.linkText("app/web")));
        assertThat(browser.path()).isEqualTo("/projects/" + project + "/repositories/app/web");
        assertThat(browser.find(By.id("repository-name")).getText()).isEqualTo("app/web");

        WebElement row = browser.find(By.cssSelector("tr[data-artifact='" + digest + "']"));
        assertThat(row.findElements(By.cssSelector("li[data-tag]"))).extracting(WebElement::getText)
            .anySatisfy(t -> assertThat(t).startsWith("1.0")).anySatisfy(t -> assertThat(t).startsWith("latest"));
        assertThat(row.findElement(By.cssSelector("code.digest")).getDomAttribute("title")).isEqualTo(digest);
        String registry = "127.0.0.1:" + port;
        assertThat(row.getText()).contains("docker pull " + registry + "/" + project + "/app/web:")
            .contains("podman pull " + registry + "/" + project + "/app/web:");
        assertThat(row.findElement(By.cssSelector("td.artifact-pulls")).getText()).isEqualTo("2");
        WebElement indexRow = browser.find(By.cssSelector("tr[data-artifact='" + indexDigest + "']"));
        assertThat(indexRow.getText()).contains("linux/amd64").contains("linux/arm64/v8").contains("multi");
        assertThat(indexRow.findElement(By.cssSelector("td.artifact-pulls")).getText()).isEqualTo("0");
        browser.screenshot("repository");

        // a pull command to the clipboard
        browser.grantClipboard();
        browser.watchScriptErrors();
        WebElement copy = row.findElement(By.cssSelector("button[data-copy^='pull-docker']"));
        String command = browser.find(By.id(copy.getDomAttribute("data-copy"))).getText();
        copy.click();
        String feedback = new WebDriverWait(browser.driver(), Duration.ofSeconds(5))
            .until(d -> copy.getText().equals("Copy") ? null : copy.getText());
        assertThat(feedback).isEqualTo("Copied");
        assertThat(browser.clipboard()).hasValue(command);
        assertThat(browser.scriptErrors()).isEmpty();

        browser.clickAndWait(row.findElement(By.cssSelector("li[data-tag='1.0'] a.button")));
        assertThat(browser.path()).endsWith("/-/artifacts/" + digest + "/tags/1.0/delete");
        assertThat(browser.find(By.tagName("h1")).getText()).contains("Delete tag 1.0 of " + project + "/app/web");
        browser.clickAndWait(browser.find(By.id("confirm")));
        assertThat(browser.path()).isEqualTo("/projects/" + project + "/repositories/app/web");
        assertThat(browser.find(By.cssSelector(".flash.notice")).getText()).contains("Tag 1.0 deleted");
        row = browser.find(By.cssSelector("tr[data-artifact='" + digest + "']"));
        assertThat(row.findElements(By.cssSelector("li[data-tag='1.0']"))).isEmpty();
        assertThat(row.findElements(By.cssSelector("li[data-tag='latest']"))).hasSize(1);

        // the index goes, after its confirmation; the image stays
        browser.clickAndWait(browser.find(By.cssSelector("tr[data-artifact='" + indexDigest + "'] a.delete-artifact")));
        assertThat(browser.path()).endsWith("/-/artifacts/" + indexDigest + "/delete");
        assertThat(browser.find(By.tagName("h1")).getText()).contains("Delete artifact " + indexDigest + " of " + project + "/app/web");
        assertThat(browser.text()).contains("(multi)");
        browser.screenshot("confirm-artifact");
        browser.clickAndWait(browser.find(By.id("confirm")));
        assertThat(browser.path()).isEqualTo("/projects/" + project + "/repositories/app/web");
        assertThat(browser.find(By.cssSelector(".flash.notice")).getText()).contains("Artifact " + indexDigest + " deleted");
        assertThat(browser.has(By.cssSelector("tr[data-artifact='" + indexDigest + "']"))).isFalse();
        assertThat(browser.has(By.cssSelector("tr[data-artifact='" + digest + "']"))).isTrue();

        browser.open("/projects/" + project + "/repositories/no/such");
        assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Not found");
        assertThat(browser.text()).doesNotContain("Exception");
    }

    @Test
    void aVisitorSeesARepositoryWithoutDeleteButtonsAndIsRefusedTheDeletion() {
        String project = "visit" + UUID.randomUUID().toString().substring(0, 6);
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        admin.createProject(project, true);
        String digest = admin.push(project + "/app", "1.0", TestImage.simple(project));
        String user = "carol" + UUID.randomUUID().toString().substring(0, 6);
        createUser(user);

        browser.login(user, TestAccounts.USER_PASSWORD);
        browser.open("/projects/" + project + "/repositories/app");
        WebElement row = browser.find(By.cssSelector("tr[data-artifact='" + digest + "']"));
        assertThat(row.getText()).contains("1.0").contains("docker pull");
        assertThat(browser.has(By.cssSelector("a.delete-artifact"))).isFalse();
        assertThat(row.findElements(By.cssSelector("li[data-tag] a"))).isEmpty();

        browser.open("/projects/" + project + "/repositories/app/-/artifacts/" + digest + "/tags/1.0/delete");
        browser.clickAndWait(browser.find(By.id("confirm")));
        assertThat(browser.find(By.cssSelector(".flash.alert")).getText()).isNotBlank();
        assertThat(browser.text()).doesNotContain("Exception");
        browser.open("/projects/" + project + "/repositories/app");
        assertThat(browser.has(By.cssSelector("li[data-tag='1.0']"))).isTrue();
    }

    @Test
    void theDashboardChartsStorageByProjectAndPushesAndPullsPerDay() {
        String project = "charts" + UUID.randomUUID().toString().substring(0, 6);
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        admin.createProject(project, false);
        // the largest project of all the tests here, so the chart shows it first
        TestImage large = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 7, 300_000);
        TestImage small = TestImage.simple(project);
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate day = today.minusDays(3);
        clock.set(now.minus(Duration.ofDays(3)));
        try {
            admin.push(project + "/app", "1", large);
            admin.push(project + "/app", "2", small);
            for (int i = 0; i < 3; i++) {
                admin.getManifest(project + "/app", "1").expect(200);
            }
        } finally {
            clock.set(now);
        }
        TestImage latest = TestImage.simple(project + " today");
        admin.push(project + "/tool", "3", latest);
        audit.flush();

        browser.login(TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
        assertThat(browser.find(By.id("storage-used")).getDomAttribute("title")).matches("[1-9][0-9]* bytes");

        long bytes = large.storedSize() + small.storedSize() + latest.storedSize();
        List<WebElement> bars = browser.driver().findElements(By.cssSelector("#storage-chart g[data-project]"));
        assertThat(bars).isNotEmpty();
        assertThat(bars.get(0).getDomAttribute("data-project")).isEqualTo(project);
        assertThat(bars.get(0).getDomAttribute("data-bytes")).isEqualTo(String.valueOf(bytes));
        assertThat(bars.get(0).getText()).contains(project).contains(Sizes.human(bytes));

        List<WebElement> days = browser.driver().findElements(By.cssSelector("#activity-chart g[data-day]"));
        assertThat(days).hasSize(14);
        assertThat(days.get(13).getDomAttribute("data-day")).isEqualTo(today.toString());
        assertThat(days.get(0).getDomAttribute("data-day")).isEqualTo(today.minusDays(13).toString());
        WebElement column = browser.find(By.cssSelector("#activity-chart g[data-day='" + day + "']"));
        assertThat(column.getDomAttribute("data-pushes")).isEqualTo("2");
        assertThat(column.getDomAttribute("data-pulls")).isEqualTo("3");
        assertThat(column.findElements(By.cssSelector("text.value"))).extracting(WebElement::getText).containsExactly("2", "3");
        WebElement quiet = browser.find(By.cssSelector("#activity-chart g[data-day='" + day.minusDays(1) + "']"));
        assertThat(quiet.findElements(By.cssSelector("text.value"))).extracting(WebElement::getText).containsExactly("0", "0");
        browser.find(By.cssSelector("#activity-chart details > summary")).click();
        WebElement tableRow = browser.find(By.cssSelector("#activity-table tr[data-day='" + day + "']"));
        assertThat(tableRow.findElement(By.cssSelector("td.pushes")).getText()).isEqualTo("2");
        assertThat(tableRow.findElement(By.cssSelector("td.pulls")).getText()).isEqualTo("3");
        browser.find(By.cssSelector("#activity-chart details > summary")).click();

        WebElement newest = browser.find(By.cssSelector("#recent-pushes li"));
        assertThat(newest.getDomAttribute("data-repository")).isEqualTo(project + "/tool");
        assertThat(newest.getText()).contains(project + "/tool:3");
        browser.screenshot("dashboard-charts");
    }


    /** Pushes an index of two small images (linux/amd64, linux/arm64/v8) to {@code repository:tag}. */
    private static TestImage.Blob pushIndex(RegistryClient client, String repository, String tag) {
        Map<TestImage.Platform, TestImage> images = new java.util.LinkedHashMap<>();
        images.put(TestImage.Platform.of("linux", "amd64"), TestImage.simple(repository + " amd64"));
        images.put(new TestImage.Platform("linux", "arm64", "v8"), TestImage.simple(repository + " arm64"));
        images.values().forEach(image -> client.push(repository, image.manifestDigest(), image));
        TestImage.Blob index = TestImage.index(TestImage.Format.OCI, images);
        client.pushManifest(repository, tag, index.mediaType(), index.content());
        return index;
    }

    private void createUser(String username) {
        assertThat(RegistryClient.forPort(port).asAdmin().post("/api/v2.0/users", Map.of("username", username, "email",
            username + "@example.com", "password", TestAccounts.USER_PASSWORD, "realname", username)).status()).isEqualTo(201);
    }
}
