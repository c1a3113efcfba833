package io.wharf.web.clients;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Immutability and retention as skopeo sees them: a {@code skopeo copy} onto an immutable tag fails and
 * prints Wharf's message naming the rule; after a retention run skopeo pulls the kept tags, digest for
 * digest, and finds the deleted one gone. Skipped when skopeo is missing, except with {@code CI=true}.
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
}
