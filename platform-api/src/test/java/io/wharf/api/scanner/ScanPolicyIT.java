package io.wharf.api.scanner;

import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.scanner.ScannerAdapterEmulator.Vulnerability;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vulnerability pull policy (Harbor's {@code prevent_vul}): a manifest GET of an image with
 * findings at or above the project's {@code severity} is refused with 412 {@code PROJECTPOLICYVIOLATION}
 * and Harbor's message; HEAD, blobs, pushes, the scanner's own pull and a fixed image are not; CVE
 * allowlists (the project's and the system's, with expiry) exempt ids; unscanned images are blocked
 * (the default of {@code wharf.scanner.unscanned}); an index passes and its images are checked; and
 * who may change the settings and lists.
 */
class ScanPolicyIT extends ScanningIntegrationTest {

    static final List<Vulnerability> FOUND = List.of(
        new Vulnerability("CVE-2024-0001", "openssl", "3.0.1", "3.0.2", "High"),
        new Vulnerability("CVE-2024-0003", "curl", "8.0.0", "8.0.1", "Critical"),
        new Vulnerability("CVE-2024-0002", "zlib", "1.2.11", "", "Low"));

    @AfterEach
    void restoreTheSystemAllowlistAndFindings() {
        jdbc.update("DELETE FROM cve_allowlist WHERE project_id = 0");
        adapter.vulnerabilities(FOUND);
    }

    /** A project with its own scanner, scan on push, and {@code prevent_vul} at {@code severity}. */
    String guarded(String severity) {
        String project = project(true);
        Response set = http.as(ADMIN).put("/api/v2.0/projects/" + project, Map.of("metadata",
            Map.of("prevent_vul", "true", "severity", severity, "reuse_sys_cve_allowlist", "false")));
        assertThat(set.status()).as("%s", set).isEqualTo(200);
        return project;
    }

    String pushAndScan(String repository, String tag, TestImage image) {
        adapter.vulnerabilities(FOUND);
        String digest = http.as(ADMIN).push(repository, tag, image);
        scanToEnd();
        assertThat(status(digest)).isEqualTo("Success");
        return digest;
    }

    static String policyMessage(Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(412);
        JsonNode error = response.json().path("errors").path(0);
        assertThat(error.path("code").asString()).as("%s", response).isEqualTo("PROJECTPOLICYVIOLATION");
        return error.path("message").asString();
    }

    void setAllowlist(String project, List<String> ids, Long expiresAt) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("items", ids.stream().map(id -> Map.of("cve_id", id)).toList());
        list.put("expires_at", expiresAt);
        Response set = http.as(ADMIN).put("/api/v2.0/projects/" + project, Map.of("cve_allowlist", list));
        assertThat(set.status()).as("%s", set).isEqualTo(200);
    }

    // ---- tests ---------------------------------------------------------------------------------

    @Test
    void aVulnerableImageIsRefusedOnGetOnlyWithHarborsMessage() {
        String project = guarded("high");
        String repository = project + "/app";
        TestImage image = TestImage.simple(unique("vulnerable"));
        String digest = pushAndScan(repository, "1.0", image);
        assertThat(adapter.pulls().values()).as("the scanner's own pull is never blocked")
            .allMatch(p -> p.succeeded());

        String message = policyMessage(http.as(ADMIN).getManifest(repository, "1.0"));
        assertThat(message).isEqualTo("current image with 2 vulnerabilities cannot be pulled due to configured policy in"
            + " 'Prevent images with vulnerability severity of \"High\" or higher from running.' To continue with pull, please"
            + " contact your project administrator to exempt matched vulnerabilities through configuring the CVE allowlist.");
        assertThat(policyMessage(http.as(ADMIN).getManifest(repository, digest))).as("by digest too").contains("2 vulnerabilities");
        assertThat(http.as(ADMIN).withTokenFlow().getManifest(repository, "1.0").status()).as("through the token flow").isEqualTo(412);

        // what a push does is never blocked: HEAD of the manifest, the blobs, pushing it again under another tag
        assertThat(http.as(ADMIN).headManifest(repository, "1.0").status()).isEqualTo(200);
        assertThat(http.as(ADMIN).getBlob(repository, image.configDigest()).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).tryPush(repository, "1.1", image).ok()).isTrue();

        // a higher threshold lets it through; "low" counts every finding
        http.as(ADMIN).put("/api/v2.0/projects/" + project + "/metadatas/severity", Map.of("severity", "critical")).expect(200);
        assertThat(policyMessage(http.as(ADMIN).getManifest(repository, "1.0"))).contains("with 1 vulnerability cannot")
            .contains("\"Critical\"");
        http.as(ADMIN).put("/api/v2.0/projects/" + project + "/metadatas/severity", Map.of("severity", "low")).expect(200);
        assertThat(policyMessage(http.as(ADMIN).getManifest(repository, "1.0"))).contains("with 3 vulnerabilities");

        // switched off, it pulls
        http.as(ADMIN).put("/api/v2.0/projects/" + project + "/metadatas/prevent_vul", Map.of("prevent_vul", "false")).expect(200);
        assertThat(http.as(ADMIN).getManifest(repository, "1.0").status()).isEqualTo(200);
    }

    @Test
    void aFixedImageIsPushedAndPulledWhileTheVulnerableOneStaysBlocked() {
        String project = guarded("high");
        String repository = project + "/app";
        pushAndScan(repository, "1.0", TestImage.simple(unique("old")));
        assertThat(http.as(ADMIN).getManifest(repository, "1.0").status()).isEqualTo(412);

        adapter.vulnerabilities(List.of(new Vulnerability("CVE-2024-0002", "zlib", "1.2.11", "", "Low")));
        String fixed = http.as(ADMIN).push(repository, "1.1", TestImage.simple(unique("fixed")));
        scanToEnd();
        assertThat(status(fixed)).isEqualTo("Success");
        Response pulled = http.as(ADMIN).getManifest(repository, "1.1");
        assertThat(pulled.status()).as("%s", pulled).isEqualTo(200);
        assertThat(http.as(ADMIN).getManifest(repository, "1.0").status()).isEqualTo(412);
    }

    @Test
    void theAllowlistExemptsItsIdsUntilItExpires() {
        String project = guarded("high");
        String repository = project + "/app";
        pushAndScan(repository, "1.0", TestImage.simple(unique("allow")));

        setAllowlist(project, List.of("CVE-2024-0001"), null);
        assertThat(policyMessage(http.as(ADMIN).getManifest(repository, "1.0"))).contains("with 1 vulnerability");
        setAllowlist(project, List.of("CVE-2024-0001", "CVE-2024-0003"), CLOCK.instant().plus(Duration.ofDays(1)).getEpochSecond());
        assertThat(http.as(ADMIN).getManifest(repository, "1.0").status()).isEqualTo(200);
        JsonNode read = http.as(ADMIN).get("/api/v2.0/projects/" + project).expect(200).json();
        assertThat(read.path("cve_allowlist").path("items").findValuesAsString("cve_id"))
            .containsExactly("CVE-2024-0001", "CVE-2024-0003");
        assertThat(read.path("metadata").path("prevent_vul").asString()).isEqualTo("true");
        assertThat(read.path("metadata").path("severity").asString()).isEqualTo("high");

        CLOCK.advance(Duration.ofDays(2));
        assertThat(policyMessage(http.as(ADMIN).getManifest(repository, "1.0"))).as("an expired list exempts nothing")
            .contains("with 2 vulnerabilities");

        // the system's list, once the project reuses it
        http.as(ADMIN).put("/api/v2.0/system/CVEAllowlist", Map.of("items",
            List.of(Map.of("cve_id", "CVE-2024-0001"), Map.of("cve_id", "CVE-2024-0003")))).expect(200);
        assertThat(http.as(ADMIN).getManifest(repository, "1.0").status()).as("the project's own list applies").isEqualTo(412);
        http.as(ADMIN).put("/api/v2.0/projects/" + project + "/metadatas/reuse_sys_cve_allowlist",
            Map.of("reuse_sys_cve_allowlist", "true")).expect(200);
        assertThat(http.as(ADMIN).getManifest(repository, "1.0").status()).isEqualTo(200);
        JsonNode system = http.as(ADMIN).get("/api/v2.0/system/CVEAllowlist").expect(200).json();
        assertThat(system.path("items").findValuesAsString("cve_id")).containsExactly("CVE-2024-0001", "CVE-2024-0003");
        assertThat(system.path("project_id").asLong()).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE resource_type = 'cve_allowlist' AND resource = 'system'",
            Integer.class)).isPositive();
    }

    @Test
    void unscannedImagesAreBlockedUntilTheirScanSucceeds() {
        String project = guarded("high");
        String repository = project + "/app";
        adapter.vulnerabilities(List.of());
        http.as(ADMIN).put("/api/v2.0/projects/" + project + "/metadatas/auto_scan", Map.of("auto_scan", "false")).expect(200);
        String digest = http.as(ADMIN).push(repository, "1.0", TestImage.simple(unique("unscanned")));

        assertThat(policyMessage(http.as(ADMIN).getManifest(repository, "1.0"))).isEqualTo("current image without vulnerability"
            + " scanning cannot be pulled due to configured policy in 'Prevent images with vulnerability severity of \"High\" or"
            + " higher from running.' To continue with pull, please contact your project administrator for help.");
        http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan", Map.of()).expect(202);
        worker.runDueJobs();
        assertThat(policyMessage(http.as(ADMIN).getManifest(repository, "1.0")))
            .startsWith("current image with \"Running\" status of vulnerability scanning cannot be pulled");
        adapter.scanRequests().forEach(r -> adapter.markReady(r.id()));
        CLOCK.advance(Duration.ofSeconds(5));
        worker.runDueJobs();
        assertThat(status(digest)).isEqualTo("Success");
        assertThat(http.as(ADMIN).getManifest(repository, "1.0").status()).as("a clean report").isEqualTo(200);
    }

    @Test
    void anIndexPassesAndEachOfItsImagesIsChecked() {
        String project = guarded("high");
        String repository = project + "/multi";
        adapter.vulnerabilities(FOUND);
        TestImage amd = TestImage.random(TestImage.Format.OCI, new TestImage.Platform("linux", "amd64", null), 21, 100);
        String amdDigest = http.as(ADMIN).push(repository, "amd64", amd);
        Map<TestImage.Platform, TestImage> images = new LinkedHashMap<>();
        images.put(new TestImage.Platform("linux", "amd64", null), amd);
        TestImage.Blob index = TestImage.index(TestImage.Format.OCI, images);
        http.as(ADMIN).pushManifest(repository, "1.0", index.mediaType(), index.content());
        scanToEnd();
        assertThat(status(amdDigest)).isEqualTo("Success");

        assertThat(http.as(ADMIN).getManifest(repository, "1.0", TestImage.OCI_INDEX).status()).isEqualTo(200);
        assertThat(policyMessage(http.as(ADMIN).getManifest(repository, amdDigest))).contains("2 vulnerabilities");
        assertThat(policyMessage(http.as(ADMIN).getManifest(repository, "1.0", TestImage.OCI_MANIFEST)))
            .as("an old client served the amd64 image for the tag").contains("2 vulnerabilities");
    }

    @Test
    void settingsAndAllowlistsAreCheckedAndOnlyTheRightRolesChangeThem() {
        String owner = unique("owner");
        String developer = unique("dev");
        createUser(owner);
        createUser(developer);
        String project = unique("pol");
        createProject(project, false, user(owner));
        addMember(project, developer, 2);

        // set at creation, all at once
        String created = unique("polc");
        Response create = http.as(user(owner)).post("/api/v2.0/projects", Map.of("project_name", created, "metadata",
            Map.of("public", "false", "auto_scan", "true", "prevent_vul", "true", "severity", "Critical"),
            "cve_allowlist", Map.of("items", List.of(Map.of("cve_id", "CVE-1")), "expires_at", 4102444800L)));
        assertThat(create.status()).as("%s", create).isEqualTo(201);
        JsonNode read = http.as(user(owner)).get("/api/v2.0/projects/" + created).expect(200).json();
        assertThat(read.path("metadata").path("auto_scan").asString()).isEqualTo("true");
        assertThat(read.path("metadata").path("severity").asString()).isEqualTo("critical");
        assertThat(read.path("cve_allowlist").path("expires_at").asLong()).isEqualTo(4102444800L);

        // bad values: Harbor's error, nothing created or changed
        String refused = unique("polx");
        assertHarborError(http.as(user(owner)).post("/api/v2.0/projects", Map.of("project_name", refused, "metadata",
            Map.of("severity", "extreme"))), 400, "BAD_REQUEST");
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + refused).status()).as("no half-created project").isEqualTo(404);
        assertHarborError(http.as(user(owner)).put("/api/v2.0/projects/" + project, Map.of("metadata", Map.of("prevent_vul", "maybe"))),
            400, "BAD_REQUEST");
        assertHarborError(http.as(user(owner)).put("/api/v2.0/projects/" + project, Map.of("metadata", Map.of("colour", "red"))),
            400, "BAD_REQUEST");
        assertThat(assertHarborError(http.as(user(owner)).put("/api/v2.0/projects/" + project, Map.of("cve_allowlist",
                Map.of("items", List.of(Map.of("cve_id", "CVE-1"), Map.of("cve_id", "CVE-1"))))), 400, "BAD_REQUEST")
            .path("message").asString()).contains("duplicate");
        assertHarborError(http.as(user(owner)).put("/api/v2.0/projects/" + project, Map.of("cve_allowlist",
            Map.of("items", List.of(Map.of("id", "CVE-1"))))), 400, "BAD_REQUEST");
        assertThat(http.as(user(owner)).get("/api/v2.0/projects/" + project).json().path("metadata").has("prevent_vul")).isFalse();

        // who may change them
        assertHarborError(http.as(user(developer)).put("/api/v2.0/projects/" + project, Map.of("metadata",
            Map.of("prevent_vul", "true"))), 403, "FORBIDDEN");
        assertHarborError(http.as(user(developer)).put("/api/v2.0/projects/" + project + "/metadatas/prevent_vul",
            Map.of("prevent_vul", "true")), 403, "FORBIDDEN");
        assertHarborError(http.as(user(developer)).put("/api/v2.0/projects/" + project, Map.of("cve_allowlist",
            Map.of("items", List.of()))), 403, "FORBIDDEN");
        http.as(user(owner)).put("/api/v2.0/projects/" + project + "/metadatas/prevent_vul", Map.of("prevent_vul", "true")).expect(200);

        // the system's list: any logged-in caller reads it, administrators change it
        assertThat(http.as(user(developer)).get("/api/v2.0/system/CVEAllowlist").status()).isEqualTo(200);
        assertHarborError(http.anonymous().get("/api/v2.0/system/CVEAllowlist"), 401, "UNAUTHORIZED");
        assertHarborError(http.as(user(owner)).put("/api/v2.0/system/CVEAllowlist", Map.of("items", List.of())), 403, "FORBIDDEN");
        assertHarborError(http.anonymous().put("/api/v2.0/system/CVEAllowlist", Map.of("items", List.of())), 401, "UNAUTHORIZED");
        assertHarborError(http.as(ADMIN).put("/api/v2.0/system/CVEAllowlist", Map.of("items", List.of(Map.of("cve_id", " ")))),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).put("/api/v2.0/system/CVEAllowlist", Map.of("items", List.of(), "expires_at", -5)),
            400, "BAD_REQUEST");
    }

    @Test
    void anImageTheProjectsScannerCannotScanIsNotBlocked() {
        String project = guarded("high");
        String repository = project + "/app";
        http.as(ADMIN).put("/api/v2.0/projects/" + project + "/metadatas/auto_scan", Map.of("auto_scan", "false")).expect(200);
        http.as(ADMIN).push(repository, "1.0", TestImage.simple(unique("noscan")));
        assertThat(http.as(ADMIN).getManifest(repository, "1.0").status()).isEqualTo(412);
        String uuid = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/scanner").expect(200).json().path("uuid").asString();
        Map<String, Object> registration = new LinkedHashMap<>();
        JsonNode current = http.as(ADMIN).get("/api/v2.0/scanners/" + uuid).expect(200).json();
        registration.put("name", current.path("name").asString());
        registration.put("url", current.path("url").asString());
        registration.put("disabled", true);
        http.as(ADMIN).put("/api/v2.0/scanners/" + uuid, registration).expect(200);
        assertThat(http.as(ADMIN).getManifest(repository, "1.0").status()).as("Harbor: not scannable, not checked").isEqualTo(200);
    }
}
