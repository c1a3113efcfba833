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

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Garbage collection page, without a browser: linked for system administrators, who start a dry
 * run and see it in the history with what it would free and its log, set a schedule (a bad cron is
 * refused with the reason and changes nothing); anyone else gets the 403 page.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GcConsoleIT {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ConsoleTestContext.register(registry, "gc-console");
    }

    @Test
    void systemAdministratorsRunAndScheduleGarbageCollection() throws Exception {
        ConsoleBrowser browser = new ConsoleBrowser();
        browser.login(port, TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
        assertThat(browser.get(port, "/").body()).contains("id=\"nav-gc\"");
        String page = browser.get(port, "/admin/gc").body();
        assertThat(page).contains("id=\"gc-run\"").contains("id=\"gc-dry-run\"").contains("id=\"gc-schedule\"")
            .contains("id=\"gc-history\"").contains("Not scheduled.");

        HttpResponse<String> started = browser.postForm(port, "/admin/gc/run", "dryRun=true&deleteUntagged=true&_csrf=" + RegistryClient.encode(ConsoleBrowser.csrf(page)));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(302);
        assertThat(browser.get(port, "/admin/gc").body()).containsPattern("Dry run \\d+ started\\.");
        String history = waitForSuccess(browser);
        assertThat(history).contains("dry run").contains("Manual").contains(" bytes");
        Matcher run = Pattern.compile("data-run=\"(\\d+)\"").matcher(history);
        assertThat(run.find()).isTrue();
        HttpResponse<String> log = browser.get(port, "/admin/gc/" + run.group(1) + "/log");
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(log.body()).contains("(dry run)").contains("delete_untagged=true").contains("would be freed");

        HttpResponse<String> bad = browser.postForm(port, "/admin/gc/schedule", "type=Custom&cron=" + RegistryClient.encode("at noon")
            + "&_csrf=" + RegistryClient.encode(ConsoleBrowser.csrf(history)));
        // without a Referer (a browser sends one, and is sent back to the form with the alert) it is the error page
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("cron at noon");
        assertThat(browser.get(port, "/admin/gc").body()).contains("Not scheduled.");
        HttpResponse<String> scheduled = browser.postForm(port, "/admin/gc/schedule", "type=Custom&cron=" + RegistryClient.encode("0 0 3 * * *")
            + "&deleteUntagged=true&_csrf=" + RegistryClient.encode(ConsoleBrowser.csrf(history)));
        assertThat(scheduled.statusCode()).isEqualTo(302);
        assertThat(browser.get(port, "/admin/gc").body()).contains("Garbage collection scheduled: 0 0 3 * * * (UTC).")
            .contains("Custom: 0 0 3 * * * (UTC)").contains("Next run");
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        assertThat(admin.get("/api/v2.0/system/gc/schedule").expect(200).json().path("job_parameters").asString())
            .contains("\"delete_untagged\":true");

        String user = "gcuser" + UUID.randomUUID().toString().substring(0, 8);
        admin.createUser(user, TestAccounts.USER_PASSWORD);
        ConsoleBrowser other = new ConsoleBrowser();
        other.login(port, user, TestAccounts.USER_PASSWORD);
        assertThat(other.get(port, "/").body()).doesNotContain("id=\"nav-gc\"");
        assertThat(other.get(port, "/admin/gc").statusCode()).isEqualTo(403);
        assertThat(other.get(port, "/admin/gc/" + run.group(1) + "/log").statusCode()).isEqualTo(403);
        String otherPage = other.get(port, "/profile").body();
        assertThat(other.postForm(port, "/admin/gc/run", "_csrf=" + RegistryClient.encode(ConsoleBrowser.csrf(otherPage))).statusCode()).isIn(302, 403);
        assertThat(admin.get("/api/v2.0/system/gc").headerValue("X-Total-Count")).isEqualTo("1");
    }

    /** The page once the newest run has ended (a run is a background job). */
    private String waitForSuccess(ConsoleBrowser browser) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String body = browser.get(port, "/admin/gc").body();
            if (body.contains("<td class=\"gc-status\">Success</td>")) {
                return body;
            }
            assertThat(body).doesNotContain("<td class=\"gc-status\">Error</td>");
            Thread.sleep(50);
        }
        throw new AssertionError("the run did not end");
    }
}
