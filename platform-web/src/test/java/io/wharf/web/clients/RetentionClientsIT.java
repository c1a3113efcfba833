package io.wharf.web.clients;

import io.wharf.testkit.ConsoleBrowser;
import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.web.PlatformApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Immutability and retention as their users see them, in one running app: a {@code skopeo copy} onto an
 * immutable tag fails and prints Wharf's message naming the rule; after a retention run skopeo pulls the
 * kept tags, digest for digest, and finds the deleted one gone (skipped when skopeo is missing, except with
 * {@code CI=true}); and the console's Retention and Immutability pages (without a browser): linked from
 * the project page for those who may use them, rules added with the forms, a dry run started and its log
 * read, a guest refused.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RetentionClientsIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String CREDS = TestAccounts.ADMIN_USERNAME + ":" + TestAccounts.ADMIN_PASSWORD;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        Path data = Files.createTempDirectory("wharf-retention-clients-");
        registry.add("wharf.data-dir", data::toString);
        registry.add("wharf.admin-password", () -> TestAccounts.ADMIN_PASSWORD);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void skopeoPrintsWhyItCannotOverwriteAnImmutableTag(@TempDir Path work) {
        Cli skopeo = Cli.skopeo(work.resolve("skopeo"));
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        String project = unique("immclient");
        admin.createProject(project, false);
        Response rule = admin.post("/api/v2.0/projects/" + project + "/immutabletagrules", Map.of(
            "tag_selectors", List.of(Map.of("kind", "doublestar", "decoration", "matches", "pattern", "v*")),
            "scope_selectors", Map.of("repository", List.of(Map.of("kind", "doublestar", "decoration", "repoMatches", "pattern", "**")))));
        assertThat(rule.status()).as("%s", rule).isEqualTo(201);
        String ruleId = rule.headerValue("Location").substring(rule.headerValue("Location").lastIndexOf('/') + 1);
        String kept = admin.push(project + "/app", "v1", TestImage.simple(project + "-first"));

        Path layout = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 91, 1200)
            .writeOciLayout(work.resolve("layout"), "new");
        Cli.Result refused = skopeo.run(TIMEOUT, "copy", "--dest-tls-verify=false", "--dest-creds", CREDS,
            "oci:" + layout + ":new", "docker://127.0.0.1:" + port + "/" + project + "/app:v1");
        assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
        assertThat(refused.output()).as(refused.describe())
            .contains("the tag " + project + "/app:v1 is immutable and cannot be overwritten", "immutable tag rule " + ruleId);
        assertThat(admin.headManifest(project + "/app", "v1").header("Docker-Content-Digest")).contains(kept);

        skopeo.ok(TIMEOUT, "copy", "--dest-tls-verify=false", "--dest-creds", CREDS,
            "oci:" + layout + ":new", "docker://127.0.0.1:" + port + "/" + project + "/app:latest");
    }

    @Test
    void afterARetentionRunSkopeoPullsTheKeptTagsOnly(@TempDir Path work) {
        Cli skopeo = Cli.skopeo(work.resolve("skopeo"));
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        String project = unique("retclient");
        long projectId = admin.createProject(project, false);
        String repo = project + "/app";
        Map<String, String> digests = new java.util.LinkedHashMap<>();
        int age = 4;
        for (String tag : List.of("1", "2", "3")) {
            String digest = admin.push(repo, tag, TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"),
                100 + age, 900 + age));
            Timestamp pushedAt = Timestamp.from(Instant.now().minus(Duration.ofDays(age--)));
            jdbc.update("UPDATE manifest SET pushed_at = ? WHERE digest = ?", pushedAt, digest);
            jdbc.update("UPDATE tag SET updated_at = ? WHERE manifest_id IN (SELECT id FROM manifest WHERE digest = ?)", pushedAt, digest);
            digests.put(tag, digest);
        }
        Response policy = admin.post("/api/v2.0/retentions", Map.of("algorithm", "or", "scope", Map.of("level", "project", "ref", projectId),
            "trigger", Map.of("kind", "Schedule", "settings", Map.of("cron", "")),
            "rules", List.of(Map.of("action", "retain", "template", "latestPushedK", "params", Map.of("latestPushedK", 2),
                "tag_selectors", List.of(Map.of("kind", "doublestar", "decoration", "matches", "pattern", "**")),
                "scope_selectors", Map.of("repository", List.of(Map.of("kind", "doublestar", "decoration", "repoMatches",
                    "pattern", "**")))))));
        assertThat(policy.status()).as("%s", policy).isEqualTo(201);
        String runs = policy.headerValue("Location") + "/executions";
        assertThat(admin.post(runs, Map.of("dry_run", false)).status()).isEqualTo(201);
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            JsonNode list = admin.get(runs).json();
            if (list.size() == 1 && !list.get(0).path("end_time").isNull()) {
                assertThat(list.get(0).path("status").asString()).isEqualTo("Success");
                break;
            }
            assertThat(Instant.now()).as("the run ended").isBefore(deadline);
            Thread.onSpinWait();
        }

        for (String tag : List.of("2", "3")) {
            Path pulled = work.resolve("pulled-" + tag);
            skopeo.ok(TIMEOUT, "copy", "--preserve-digests", "--src-tls-verify=false", "--src-creds", CREDS,
                "docker://127.0.0.1:" + port + "/" + repo + ":" + tag, "oci:" + pulled + ":" + tag);
            assertThat(TestImage.Layout.open(pulled).resolve(tag).digest()).isEqualTo(digests.get(tag));
        }
        Cli.Result gone = skopeo.run(TIMEOUT, "inspect", "--raw", "--tls-verify=false", "--creds", CREDS,
            "docker://127.0.0.1:" + port + "/" + repo + ":1");
        assertThat(gone.exitCode()).as(gone.describe()).isNotZero();
        assertThat(gone.output()).as(gone.describe()).containsIgnoringCase("manifest unknown");
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
