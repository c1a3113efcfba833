package io.wharf.web.console;

import io.wharf.testkit.ConsoleBrowser;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.web.PlatformApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A project's Retention and Immutability pages, without a browser: linked from the project page for
 * those who may use them; a project administrator adds an immutable tag rule and a retention rule with
 * the forms, starts a dry run and reads its log; a guest sees neither button and gets the 403 page.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RetentionConsoleIT {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ConsoleTestContext.register(registry, "retention-console");
    }

    @Test
    void projectAdministratorsManageImmutabilityAndRetentionFromTheProjectPage() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String project = "retcon" + suffix;
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        admin.createProject(project, false);
        admin.push(project + "/app", "v1", TestImage.simple(project + "1"));
        admin.push(project + "/app", "tmp", TestImage.simple(project + "2"));
        ConsoleBrowser browser = new ConsoleBrowser();
        browser.login(port, TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);

        String show = browser.get(port, "/projects/" + project).body();
        assertThat(show).contains("id=\"project-retention\"").contains("id=\"project-immutability\"");

        String immutability = browser.get(port, "/projects/" + project + "/immutability").body();
        assertThat(immutability).contains("id=\"no-immutable-rules\"").contains("id=\"add-immutable-rule\"");
        HttpResponse<String> added = browser.submit(port, "/projects/" + project + "/immutability", immutability,
            Map.of("repository_decoration", "repoMatches", "repository_pattern", "**", "tag_decoration", "matches", "tag_pattern", "v*"));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(302);
        assertThat(browser.get(port, "/projects/" + project + "/immutability").body()).contains("id=\"immutable-rule-list\"")
            .contains("matching v*");
        assertThat(admin.deleteManifest(project + "/app", "v1").status()).as("the rule applies").isEqualTo(412);

        String retention = browser.get(port, "/projects/" + project + "/retention").body();
        assertThat(retention).contains("id=\"no-rules\"").contains("id=\"add-rule\"");
        HttpResponse<String> rule = browser.submit(port, "/projects/" + project + "/retention/rules", retention,
            Map.of("template", "latestPushedK", "param", "0", "repository_decoration", "repoMatches", "repository_pattern", "**",
                "tag_decoration", "matches", "tag_pattern", "**"));
        assertThat(rule.statusCode()).as(rule.body()).isEqualTo(302);
        HttpResponse<String> bad = browser.submit(port, "/projects/" + project + "/retention/rules", retention,
            Map.of("template", "latestPushedX", "param", "1", "repository_decoration", "repoMatches", "repository_pattern", "x",
                "tag_decoration", "matches", "tag_pattern", "x"));
        assertThat(bad.statusCode()).as("a bad rule is refused with Harbor's words, not a stack trace").isIn(302, 400);

        String withRule = browser.get(port, "/projects/" + project + "/retention").body();
        assertThat(withRule).contains("id=\"rule-list\"").contains("latestPushedK 0").contains("id=\"retention-dry-run\"");
        HttpResponse<String> dry = browser.submit(port, "/projects/" + project + "/retention/run", withRule, Map.of("dry_run", "true"));
        assertThat(dry.statusCode()).as(dry.body()).isEqualTo(302);

        Instant deadline = Instant.now().plusSeconds(60);
        String history = browser.get(port, "/projects/" + project + "/retention").body();
        while (!history.contains("class=\"task-log\"") || history.contains(">Pending<") || history.contains(">Running<")) {
            assertThat(Instant.now()).as("the dry run ended").isBefore(deadline);
            history = browser.get(port, "/projects/" + project + "/retention").body();
        }
        assertThat(history).contains("id=\"run-list\"").contains("dry run").contains("Success");
        Matcher link = Pattern.compile("href=\"(/projects/[^\"]+/retention/executions/\\d+/tasks/\\d+)\"").matcher(history);
        assertThat(link.find()).isTrue();
        HttpResponse<String> log = browser.get(port, link.group(1));
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.body()).contains("would delete " + project + "/app@").contains("[tmp]").contains("the tag v1 is immutable");
        assertThat(admin.tags(project + "/app").json().path("tags").size()).as("a dry run deletes nothing").isEqualTo(2);

        String guest = "guest" + suffix;
        admin.createUser(guest, TestAccounts.USER_PASSWORD);
        admin.addMember(project, guest, 3);
        ConsoleBrowser other = new ConsoleBrowser();
        other.login(port, guest, TestAccounts.USER_PASSWORD);
        assertThat(other.get(port, "/projects/" + project).body()).doesNotContain("id=\"project-retention\"")
            .doesNotContain("id=\"project-immutability\"");
        assertThat(other.get(port, "/projects/" + project + "/retention").statusCode()).isEqualTo(403);
        assertThat(other.get(port, "/projects/" + project + "/immutability").statusCode()).isEqualTo(403);
    }
}
