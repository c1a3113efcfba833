package io.wharf.api.scanner;

import io.micrometer.core.instrument.MeterRegistry;
import io.wharf.api.accounts.AccountsIntegrationTest;
import io.wharf.core.artifact.PullRecorder;
import io.wharf.scanner.trigger.ScanWorker;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.MutableClock;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.scanner.RegistryPuller;
import io.wharf.testkit.scanner.ScannerAdapterEmulator.ScanRequestRecord;
import io.wharf.testkit.scanner.ScannerAdapterEmulator;
import io.wharf.testkit.webhook.WebhookReceiver;
import io.wharf.webhook.delivery.WebhookDispatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Scanning against the adapter emulator, which really pulls each artifact from Wharf with the scan
 * credential it was sent: scan on push, on demand, dedup, stop, retries, timeout, an expired lease,
 * index artifacts, the credential's scope, the overview and the report, and who may do what. The
 * queue is driven by {@link ScanWorker#runDueJobs()} and time by {@link #CLOCK}; nothing sleeps.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScanIT extends ScanningIntegrationTest {

    // ---- tests ---------------------------------------------------------------------------------

    @Test
    @Order(1)
    void withoutAnyScannerScanIsAClearPreconditionFailure() {
        // other classes sharing this context registered scanners (the first became the default); none may exist here
        jdbc.update("DELETE FROM scanner_registration");
        String project = unique("noscanner");
        createProject(project, false, ADMIN);
        http.as(ADMIN).pushImage(project + "/app", "1.0", unique("seed"));
        Response scan = http.as(ADMIN).post(artifactPath(project + "/app", "1.0") + "/scan", Map.of());
        JsonNode error = assertHarborError(scan, 412, "PRECONDITION");
        assertThat(error.path("message").asString()).contains("no scanner is configured");
    }

    @Test
    void scanOnPushPullsWithTheScopedCredentialAndStoresTheReport() {
        String project = project(true);
        String repository = project + "/app";
        TestImage image = TestImage.simple(unique("seed"));
        String digest = http.as(ADMIN).push(repository, "1.0", image);

        assertThat(worker.runDueJobs()).isEqualTo(1);
        ScanRequestRecord request = onlyRequestFor(digest);
        assertThat(request.repository()).isEqualTo(repository);
        assertThat(request.tag()).isEqualTo("1.0");
        assertThat(request.registryUrl()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(request.authorization()).startsWith("Basic ");
        assertThat(basic(request.authorization())[0]).startsWith("scanner$");
        assertThat(request.body().path("enabled_capabilities").path(0).path("produces_mime_types").path(0).asString()).isEqualTo(REPORT);
        ScannerAdapterEmulator.PullOutcome pulled = adapter.pulls().get(request.id());
        assertThat(pulled.succeeded()).as("%s", pulled).isTrue();
        assertThat(pulled.pulled().manifests()).containsKey(digest);
        assertThat(jdbc.queryForObject("SELECT secret_hash FROM scan_credential WHERE name = ?", String.class,
            basic(request.authorization())[0])).as("only a hash is stored").isNotEqualTo(basic(request.authorization())[1]).hasSize(64);
        assertThat(overview(repository, "1.0").path(REPORT).path("scan_status").asString()).isEqualTo("Running");

        adapter.markReady(request.id());
        assertThat(worker.runDueJobs()).as("the poll waits for Refresh-After").isZero();
        CLOCK.advance(Duration.ofSeconds(5));
        assertThat(worker.runDueJobs()).isEqualTo(1);

        JsonNode overview = overview(repository, "1.0").path(REPORT);
        assertThat(overview.path("scan_status").asString()).isEqualTo("Success");
        assertThat(overview.path("severity").asString()).isEqualTo("High");
        assertThat(overview.path("summary").path("total").asInt()).isEqualTo(2);
        assertThat(overview.path("summary").path("fixable").asInt()).isEqualTo(1);
        assertThat(overview.path("summary").path("summary").path("High").asInt()).isEqualTo(1);
        assertThat(overview.path("summary").path("summary").path("Low").asInt()).isEqualTo(1);
        assertThat(overview.path("scanner").path("name").asString()).isEqualTo("Emulated Trivy");
        assertThat(overview.path("complete_percent").asInt()).isEqualTo(100);
        assertThat(overview.path("report_id").asString()).isNotBlank();
        Response listed = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/repositories/app/artifacts?with_scan_overview=true");
        assertThat(listed.json().path(0).path("scan_overview").path(REPORT).path("scan_status").asString()).isEqualTo("Success");
        assertThat(http.as(ADMIN).get(artifactPath(repository, "1.0")).json().has("scan_overview"))
            .as("only with with_scan_overview=true").isFalse();

        Response report = http.as(ADMIN).get(artifactPath(repository, digest) + "/additions/vulnerabilities");
        assertThat(report.status()).as("%s", report).isEqualTo(200);
        assertThat(report.json().path(REPORT).path("vulnerabilities").size()).isEqualTo(2);
        assertThat(report.json().path(REPORT).path("vulnerabilities").path(0).path("id").asString()).isEqualTo("CVE-2024-0001");

        // the scanner's pull is not a client pull: no pull count, no "last pulled" (which would keep a cache alive)
        pulls.flush();
        assertThat(jdbc.queryForObject("SELECT pull_count FROM manifest WHERE digest = ?", Long.class, digest)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM manifest WHERE digest = ? AND pulled_at IS NOT NULL", Integer.class, digest))
            .isZero();

        // the credential ended with the scan
        assertThatThrownBy(() -> adapter.pull(request)).isInstanceOf(RegistryPuller.PullFailed.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE operation = 'scan' AND resource = ? AND outcome = 'success'",
            Integer.class, repository + "@" + digest)).isEqualTo(1);
        assertThat(meters.counter("wharf.scanner.scans", "registration", requestRegistration(digest), "outcome", "success").count())
            .isEqualTo(1.0);
        // pushing the same digest again scans nothing: each distinct digest once
        http.as(ADMIN).push(repository, "again", image);
        worker.runDueJobs();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scan_job WHERE digest = ?", Integer.class, digest)).isEqualTo(1);
        assertThat(requestsFor(digest)).hasSize(1);
    }

    @Test
    void completedAndStoppedScansAreAnnouncedToTheProjectsWebhooks() throws Exception {
        String project = project(true);
        String repository = project + "/app";
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Response policy = http.as(ADMIN).post("/api/v2.0/projects/" + project + "/webhook/policies", Map.of(
                "name", "scans", "enabled", true, "event_types", java.util.List.of("SCANNING_COMPLETED", "SCANNING_FAILED"),
                "targets", java.util.List.of(Map.of("type", "http", "address", receiver.url("/hook").toString(),
                    "payload_format", "Default", "skip_cert_verify", false))));
            assertThat(policy.status()).as("%s", policy).isEqualTo(201);

            String digest = http.as(ADMIN).push(repository, "1.0", TestImage.simple(unique("seed")));
            worker.runDueJobs();
            adapter.markReady(onlyRequestFor(digest).id());
            CLOCK.advance(Duration.ofSeconds(5));
            worker.runDueJobs();
            assertThat(webhooks.deliverDueNow()).isEqualTo(1);
            JsonNode completed = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(receiver.received("/hook").get(0).body());
            assertThat(completed.path("type").asString()).isEqualTo("SCANNING_COMPLETED");
            JsonNode resource = completed.path("event_data").path("resources").path(0);
            assertThat(resource.path("digest").asString()).isEqualTo(digest);
            JsonNode report = resource.path("scan_overview").path(REPORT);
            assertThat(report.path("scan_status").asString()).isEqualTo("Success");
            assertThat(report.path("severity").asString()).isEqualTo("High");
            assertThat(report.path("summary").path("total").asInt()).isEqualTo(2);
            assertThat(completed.path("event_data").path("repository").path("repo_full_name").asString()).isEqualTo(repository);

            String other = http.as(ADMIN).push(repository, "2.0", TestImage.simple(unique("seed")));
            worker.runDueJobs();
            assertThat(http.as(ADMIN).post(artifactPath(repository, "2.0") + "/scan/stop", Map.of()).status()).isEqualTo(202);
            assertThat(webhooks.deliverDueNow()).isEqualTo(1);
            JsonNode stopped = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(receiver.received("/hook").get(1).body());
            assertThat(stopped.path("type").asString()).isEqualTo("SCANNING_FAILED");
            assertThat(stopped.path("event_data").path("resources").path(0).path("digest").asString()).isEqualTo(other);
            assertThat(stopped.path("event_data").path("resources").path(0).path("scan_overview").path(REPORT)
                .path("scan_status").asString()).isEqualTo("Stopped");
        }
    }

    @Autowired
    WebhookDispatcher webhooks;

    @Autowired
    PullRecorder pulls;

    String requestRegistration(String digest) {
        return jdbc.queryForObject("SELECT r.name FROM scan_job j JOIN scanner_registration r ON r.id = j.registration_id"
            + " WHERE j.digest = ? ORDER BY j.id DESC LIMIT 1", String.class, digest);
    }

    @Test
    void theScanCredentialPullsOnlyItsRepository() {
        String project = project(false);
        String repository = project + "/app";
        String digest = http.as(ADMIN).push(repository, "1.0", TestImage.simple(unique("seed")));
        String other = http.as(ADMIN).push(project + "/other", "1.0", TestImage.simple(unique("seed")));
        assertThat(http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan", Map.of()).status()).isEqualTo(202);
        worker.runDueJobs();
        ScanRequestRecord request = onlyRequestFor(digest);
        assertThat(adapter.pulls().get(request.id()).succeeded()).isTrue();
        String[] credential = basic(request.authorization());
        URI registry = URI.create(request.registryUrl());

        // another repository, by the token flow and by Basic
        assertThatThrownBy(() -> new RegistryPuller(registry, request.authorization()).pull(project + "/other", other))
            .isInstanceOf(RegistryPuller.PullFailed.class);
        RegistryClient scanner = RegistryClient.forPort(port).withBasic(credential[0], credential[1]);
        assertThat(scanner.get("/v2/" + project + "/other/manifests/" + other).status()).isIn(401, 403);
        assertThat(scanner.get("/v2/" + repository + "/manifests/" + digest).status()).isEqualTo(200);
        // push
        assertThat(scanner.send("POST", "/v2/" + repository + "/blobs/uploads/").status()).isIn(401, 403);
        Response pushToken = RegistryClient.forPort(port).withBasic(credential[0], credential[1])
            .token("repository:" + repository + ":pull,push");
        assertThat(pushToken.status()).isEqualTo(200);
        assertThat(RegistryClient.jwtPayload(pushToken.json().path("token").asString()).path("access").path(0).path("actions").toString())
            .isEqualTo("[\"pull\"]");
        // the catalog, with Basic and with a token
        assertThat(scanner.get("/v2/_catalog").status()).isIn(401, 403);
        String catalogToken = RegistryClient.forPort(port).withBasic(credential[0], credential[1]).tokenFor("registry:catalog:*");
        assertThat(RegistryClient.forPort(port).as(Credentials.bearer(catalogToken)).get("/v2/_catalog").status()).isIn(401, 403);
        // the API
        assertThat(scanner.get("/api/v2.0/projects").status()).isEqualTo(401);
        // a wrong secret
        assertThat(RegistryClient.forPort(port).withBasic(credential[0], credential[1] + "x")
            .get("/v2/" + repository + "/manifests/" + digest).status()).isEqualTo(401);

        // expired: past the scan's timeout and the margin, while the adapter still has not answered
        CLOCK.advance(Duration.ofMinutes(21));
        assertThat(scanner.get("/v2/" + repository + "/manifests/" + digest).status()).isEqualTo(401);
        assertThatThrownBy(() -> adapter.pull(request)).isInstanceOf(RegistryPuller.PullFailed.class);
        worker.runDueJobs(); // ends it as timed out
        assertThat(status(digest)).isEqualTo("Error");
    }

    @Test
    void onDemandScansAreDeduplicatedAndNeedScanRights() {
        String project = project(false);
        String repository = project + "/app";
        String digest = http.as(ADMIN).push(repository, "1.0", TestImage.simple(unique("seed")));
        String developer = unique("dev");
        String guest = unique("guest");
        String maintainer = unique("maint");
        createUser(developer);
        createUser(guest);
        createUser(maintainer);
        addMember(project, developer, 2);
        addMember(project, guest, 3);
        addMember(project, maintainer, 4);

        assertHarborError(http.anonymous().post(artifactPath(repository, "1.0") + "/scan", Map.of()), 401, "UNAUTHORIZED");
        assertHarborError(http.as(user(developer)).post(artifactPath(repository, "1.0") + "/scan", Map.of()), 403, "FORBIDDEN");
        assertHarborError(http.as(user(guest)).post(artifactPath(repository, "1.0") + "/scan", Map.of()), 403, "FORBIDDEN");
        assertHarborError(http.as(user(developer)).post(artifactPath(repository, "1.0") + "/scan/stop", Map.of()), 403, "FORBIDDEN");
        assertHarborError(http.as(ADMIN).post(artifactPath(repository, "nope") + "/scan", Map.of()), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).post(artifactPath(project + "/missing", "1.0") + "/scan", Map.of()), 404, "NOT_FOUND");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scan_job WHERE digest = ?", Integer.class, digest)).isZero();

        assertThat(http.as(user(maintainer)).post(artifactPath(repository, "1.0") + "/scan", Map.of()).status()).isEqualTo(202);
        assertThat(http.as(ADMIN).post(artifactPath(repository, digest) + "/scan", Map.of()).status()).isEqualTo(202);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scan_job WHERE digest = ?", Integer.class, digest)).isEqualTo(1);
        assertThat(overview(repository, "1.0").path(REPORT).path("scan_status").asString()).isEqualTo("Pending");
        worker.runDueJobs();
        assertThat(requestsFor(digest)).hasSize(1);

        // reading the report: anyone who may pull, a guest too; not someone outside the private project
        assertThat(http.as(user(guest)).get(artifactPath(repository, "1.0") + "/additions/vulnerabilities").status()).isEqualTo(200);
        assertHarborError(http.anonymous().get(artifactPath(repository, "1.0") + "/additions/vulnerabilities"), 401, "UNAUTHORIZED");
        String outsider = unique("outsider");
        createUser(outsider);
        assertThat(http.as(user(outsider)).get(artifactPath(repository, "1.0") + "/additions/vulnerabilities").status())
            .isIn(403, 404);
    }

    @Test
    void stopEndsTheScanAndItsCredentialAndIgnoresTheLateReport() {
        String project = project(false);
        String repository = project + "/app";
        String digest = http.as(ADMIN).push(repository, "1.0", TestImage.simple(unique("seed")));
        assertHarborError(http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan/stop", Map.of()), 404, "NOT_FOUND");
        http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan", Map.of());
        worker.runDueJobs();
        ScanRequestRecord request = onlyRequestFor(digest);

        assertThat(http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan/stop", Map.of()).status()).isEqualTo(202);
        assertThat(status(digest)).isEqualTo("Stopped");
        assertThatThrownBy(() -> adapter.pull(request)).isInstanceOf(RegistryPuller.PullFailed.class);
        adapter.markReady(request.id());
        CLOCK.advance(Duration.ofSeconds(5));
        worker.runDueJobs();
        assertThat(status(digest)).isEqualTo("Stopped");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scan_report WHERE digest = ?", Integer.class, digest)).isZero();
        assertThat(overview(repository, "1.0").path(REPORT).path("scan_status").asString()).isEqualTo("Stopped");
        assertHarborError(http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan/stop", Map.of()), 404, "NOT_FOUND");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE operation = 'stop_scan' AND resource = ?",
            Integer.class, repository + "@" + digest)).isEqualTo(1);
        assertThat(scans(digest, "stopped")).isEqualTo(1.0);
        assertThat(scans(digest, "success") + scans(digest, "error")).as("the late report counts nothing").isZero();
    }

    @Test
    void anAdapterAnswering500IsRetriedWithBackoffThenTheScanIsAnError() {
        String project = project(false);
        String repository = project + "/app";
        String digest = pushAndScan(repository);
        adapter.failWith(500, "database locked");
        int before = adapter.requests().size();

        worker.runDueJobs();
        assertThat(status(digest)).isEqualTo("Running");
        assertThat(worker.runDueJobs()).as("waits for the backoff").isZero();
        CLOCK.advance(Duration.ofSeconds(10));
        worker.runDueJobs();
        assertThat(status(digest)).isEqualTo("Running");
        CLOCK.advance(Duration.ofSeconds(19));
        assertThat(worker.runDueJobs()).as("the second backoff is doubled").isZero();
        CLOCK.advance(Duration.ofSeconds(1));
        worker.runDueJobs();
        assertThat(status(digest)).isEqualTo("Error");
        assertThat(adapter.requests().size() - before).isEqualTo(3);
        JsonNode overview = overview(repository, "1.0").path(REPORT);
        assertThat(overview.path("scan_status").asString()).isEqualTo("Error");
        assertThat(jdbc.queryForObject("SELECT log FROM scan_job WHERE digest = ?", String.class, digest)).contains("database locked");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scan_credential", Integer.class)).as("no credential outlives its scan")
            .isZero();
        assertThat(scans(digest, "error")).isEqualTo(1.0);
    }

    @Test
    void aFailedScanTheAdapterReportsEndsAtOnceWithItsMessage() {
        String project = project(false);
        String repository = project + "/app";
        String digest = pushAndScan(repository);
        worker.runDueJobs();
        ScanRequestRecord request = onlyRequestFor(digest);
        assertThat(status(digest)).isEqualTo("Running");

        // harbor-scanner-trivy: 500 with {"error":{"message"}} on the report poll when the scan failed
        adapter.reportFailure("running trivy wrapper: exit status 1: image not found");
        CLOCK.advance(Duration.ofSeconds(5));
        worker.runDueJobs();
        assertThat(status(digest)).as("no retry: the adapter said the scan failed").isEqualTo("Error");
        assertThat(jdbc.queryForObject("SELECT attempts FROM scan_job WHERE digest = ?", Integer.class, digest)).isZero();
        assertThat(jdbc.queryForObject("SELECT log FROM scan_job WHERE digest = ?", String.class, digest))
            .contains("the adapter answered 500: running trivy wrapper: exit status 1: image not found")
            .doesNotContain("attempts");
        assertThat(overview(repository, "1.0").path(REPORT).path("scan_status").asString()).isEqualTo("Error");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scan_credential WHERE name = ?", Integer.class,
            basic(request.authorization())[0])).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE operation = 'scan' AND outcome = 'failure' AND resource = ?",
            Integer.class, repository + "@" + digest)).isEqualTo(1);
        assertThat(scans(digest, "error")).isEqualTo(1.0);
        long polls = reportPolls(request.id());
        CLOCK.advance(Duration.ofHours(1));
        worker.runDueJobs();
        assertThat(reportPolls(request.id())).isEqualTo(polls);
    }

    @Test
    void aReportPollAnswered5xxWithoutTheAdaptersErrorIsRetried() {
        String project = project(false);
        String repository = project + "/app";
        String digest = pushAndScan(repository);
        worker.runDueJobs();
        ScanRequestRecord request = onlyRequestFor(digest);

        adapter.reportStatus(503); // a proxy in front of a restarting adapter
        CLOCK.advance(Duration.ofSeconds(5));
        worker.runDueJobs();
        assertThat(status(digest)).isEqualTo("Running");
        assertThat(jdbc.queryForObject("SELECT attempts FROM scan_job WHERE digest = ?", Integer.class, digest)).isEqualTo(1);

        adapter.reportStatus(0);
        adapter.markReady(request.id());
        CLOCK.advance(Duration.ofSeconds(10));
        worker.runDueJobs();
        assertThat(status(digest)).isEqualTo("Success");
        assertThat(scans(digest, "success")).isEqualTo(1.0);
    }

    @Test
    void theQueueDepthGaugeCountsPendingAndRunningJobs() {
        String project = project(false);
        String repository = project + "/app";
        List<String> digests = new java.util.ArrayList<>();
        for (String tag : List.of("1", "2", "3")) {
            digests.add(http.as(ADMIN).push(repository, tag, TestImage.simple(unique("seed"))));
            http.as(ADMIN).post(artifactPath(repository, tag) + "/scan", Map.of()).expect(202);
        }
        worker.runDueJobs();
        assertThat(jdbc.queryForList("SELECT status FROM scan_job WHERE repository = ? ORDER BY id", String.class, repository))
            .as("two run at once per scanner").containsExactly("Running", "Running", "Pending");
        assertThat(depth("pending")).isEqualTo(count("Pending")).isGreaterThanOrEqualTo(1);
        assertThat(depth("running")).isEqualTo(count("Running")).isGreaterThanOrEqualTo(2);

        for (String tag : List.of("1", "2", "3")) {
            http.as(ADMIN).post(artifactPath(repository, tag) + "/scan/stop", Map.of()).expect(202);
        }
        worker.runDueJobs();
        assertThat(depth("pending")).isEqualTo(count("Pending"));
        assertThat(depth("running")).isEqualTo(count("Running"));
        assertThat(scans(digests.get(0), "stopped")).as("stopped scans count").isEqualTo(3.0);
    }

    @Test
    void reportsAreKeptPerDigestScannerAndTypeAndNeverRewritten() {
        String project = project(false);
        String repository = project + "/app";
        String digest = pushAndScan(repository);
        scanToEnd();
        List<Map<String, Object>> first = reports(digest);
        assertThat(first).hasSize(1);

        try {
            adapter.vulnerabilities(List.of(new ScannerAdapterEmulator.Vulnerability("CVE-2024-0009", "glibc", "2.36", "2.37",
                "Critical")));
            http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan", Map.of()).expect(202);
            scanToEnd();
            List<Map<String, Object>> rescanned = reports(digest);
            assertThat(rescanned).as("a rescan adds a report").hasSize(2);
            assertThat(rescanned.get(0)).as("and leaves the first as it was").isEqualTo(first.get(0));
            assertThat(rescanned.get(1).get("severity")).isEqualTo("Critical");
            assertThat(rescanned.get(1).get("job_id")).isNotEqualTo(first.get(0).get("job_id"));
            assertThat(overview(repository, "1.0").path(REPORT).path("severity").asString()).as("the newest counts")
                .isEqualTo("Critical");

            // a second scanner for the project: its own report beside the first scanner's
            Response created = http.as(ADMIN).post("/api/v2.0/scanners", Map.of("name", unique("clair"),
                "url", adapter.url().toString(), "auth", "", "access_credential", ""));
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            String location = created.header("Location").orElseThrow();
            http.as(ADMIN).put("/api/v2.0/projects/" + project + "/scanner",
                Map.of("uuid", location.substring(location.lastIndexOf('/') + 1))).expect(200);
            http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan", Map.of()).expect(202);
            scanToEnd();
            List<Map<String, Object>> both = reports(digest);
            assertThat(both).hasSize(3);
            assertThat(both.subList(0, 2)).as("the first scanner's reports are untouched").isEqualTo(rescanned);
            assertThat(both.get(2).get("registration_id")).isNotEqualTo(first.get(0).get("registration_id"));
            assertThat(both.stream().map(r -> r.get("mime_type")).distinct()).containsExactly(REPORT);
        } finally {
            adapter.vulnerabilities(List.of(
                new ScannerAdapterEmulator.Vulnerability("CVE-2024-0001", "openssl", "3.0.1", "3.0.2", "High"),
                new ScannerAdapterEmulator.Vulnerability("CVE-2024-0002", "zlib", "1.2.11", "", "Low")));
        }
    }

    /** The {@code scan_report} rows of {@code digest}, oldest first. */
    List<Map<String, Object>> reports(String digest) {
        return jdbc.queryForList("SELECT * FROM scan_report WHERE digest = ? ORDER BY id", digest);
    }

    /** {@code wharf.scanner.scans} of the registration that scanned {@code digest}, for {@code outcome}. */
    double scans(String digest, String outcome) {
        io.micrometer.core.instrument.Counter counter = meters.find("wharf.scanner.scans")
            .tags("registration", requestRegistration(digest), "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    double depth(String status) {
        return meters.get("wharf.scanner.queue.depth").tag("status", status).gauge().value();
    }

    double count(String status) {
        return jdbc.queryForObject("SELECT count(*) FROM scan_job WHERE status = ?", Integer.class, status);
    }

    long reportPolls(String id) {
        return adapter.requests().stream().filter(r -> r.path().equals("/api/v1/scan/" + id + "/report")).count();
    }

    @Test
    void aScanThatNeverFinishesTimesOut() {
        String project = project(false);
        String repository = project + "/app";
        String digest = pushAndScan(repository);
        worker.runDueJobs();
        for (int i = 0; i < 3; i++) {
            CLOCK.advance(Duration.ofMinutes(3));
            worker.runDueJobs();
            assertThat(status(digest)).isEqualTo("Running");
        }
        CLOCK.advance(Duration.ofMinutes(1));
        worker.runDueJobs();
        assertThat(status(digest)).as("%s", jdbc.queryForList("SELECT * FROM scan_job WHERE digest = ?", digest)).isEqualTo("Error");
        assertThat(jdbc.queryForObject("SELECT log FROM scan_job WHERE digest = ?", String.class, digest)).contains("did not finish within 10 min");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE operation = 'scan' AND outcome = 'failure' AND resource = ?",
            Integer.class, repository + "@" + digest)).isEqualTo(1);
        assertThat(scans(digest, "error")).isEqualTo(1.0);
    }

    @Test
    void aJobWhoseNodeDiedIsTakenOverWhenItsLeaseRunsOut() {
        String project = project(false);
        String repository = project + "/app";
        String digest = pushAndScan(repository);
        // another node claimed it and died before calling the adapter
        jdbc.update("UPDATE scan_job SET status = 'Running', lease_owner = 'dead-node', lease_until = ?, started_at = ?,"
            + " deadline_at = ? WHERE digest = ?", java.sql.Timestamp.from(CLOCK.instant().plus(Duration.ofMinutes(5))),
            java.sql.Timestamp.from(CLOCK.instant()), java.sql.Timestamp.from(CLOCK.instant().plus(Duration.ofMinutes(10))), digest);
        assertThat(worker.runDueJobs()).isZero();
        assertThat(requestsFor(digest)).isEmpty();
        CLOCK.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(worker.runDueJobs()).isEqualTo(1);
        assertThat(requestsFor(digest)).hasSize(1);
        adapter.markReady(onlyRequestFor(digest).id());
        CLOCK.advance(Duration.ofSeconds(5));
        worker.runDueJobs();
        assertThat(status(digest)).isEqualTo("Success");
    }

    @Test
    void anIndexIsScannedPerChildAndItsOverviewSummarisesThem() {
        String project = project(true);
        String repository = project + "/multi";
        TestImage amd = TestImage.random(TestImage.Format.OCI, new TestImage.Platform("linux", "amd64", null), 11, 100);
        TestImage arm = TestImage.random(TestImage.Format.OCI, new TestImage.Platform("linux", "arm64", "v8"), 12, 100);
        String amdDigest = http.as(ADMIN).push(repository, "amd64", amd);
        String armDigest = http.as(ADMIN).push(repository, "arm64", arm);
        Map<TestImage.Platform, TestImage> images = new LinkedHashMap<>();
        images.put(new TestImage.Platform("linux", "amd64", null), amd);
        images.put(new TestImage.Platform("linux", "arm64", "v8"), arm);
        TestImage.Blob index = TestImage.index(TestImage.Format.OCI, images);
        http.as(ADMIN).pushManifest(repository, "1.0", index.mediaType(), index.content());

        assertThat(worker.runDueJobs()).as("one job per child, though pushed as images and in the index").isEqualTo(2);
        assertThat(requestsFor(amdDigest)).hasSize(1);
        assertThat(requestsFor(armDigest)).hasSize(1);
        assertThat(overview(repository, "1.0").path(REPORT).path("scan_status").asString()).isEqualTo("Running");
        adapter.markReady(onlyRequestFor(amdDigest).id());
        CLOCK.advance(Duration.ofSeconds(5));
        worker.runDueJobs();
        JsonNode half = overview(repository, "1.0").path(REPORT);
        assertThat(half.path("scan_status").asString()).isEqualTo("Running");
        assertThat(half.path("complete_percent").asInt()).isEqualTo(50);
        adapter.markReady(onlyRequestFor(armDigest).id());
        CLOCK.advance(Duration.ofSeconds(5));
        worker.runDueJobs();

        JsonNode overview = overview(repository, "1.0").path(REPORT);
        assertThat(overview.path("scan_status").asString()).isEqualTo("Success");
        assertThat(overview.path("severity").asString()).isEqualTo("High");
        assertThat(overview.path("summary").path("total").asInt()).isEqualTo(4);
        assertThat(overview.path("summary").path("fixable").asInt()).isEqualTo(2);
        assertThat(overview.path("complete_percent").asInt()).isEqualTo(100);
        Response additions = http.as(ADMIN).get(artifactPath(repository, "1.0") + "/additions/vulnerabilities");
        assertThat(additions.json().size()).as("the index has no report of its own").isZero();

        // scanning the index on demand queues each child again
        assertThat(http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan", Map.of()).status()).isEqualTo(202);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scan_job WHERE status = 'Pending' AND digest IN (?, ?)", Integer.class,
            amdDigest, armDigest)).isEqualTo(2);
    }

    @Test
    void autoScanIsAProjectSettingOnlyProjectAdminsChange() {
        String project = project(false);
        Response read = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/metadatas/");
        assertThat(read.json().has("auto_scan")).isFalse();
        http.as(ADMIN).put("/api/v2.0/projects/" + project + "/metadatas/auto_scan", Map.of("auto_scan", "true"));
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + project + "/metadatas/").json().path("auto_scan").asString()).isEqualTo("true");
        String developer = unique("dev");
        createUser(developer);
        addMember(project, developer, 2);
        assertThat(http.as(user(developer)).put("/api/v2.0/projects/" + project + "/metadatas/auto_scan",
            Map.of("auto_scan", "false")).status()).isEqualTo(403);
        assertHarborError(http.as(ADMIN).put("/api/v2.0/projects/" + project + "/metadatas/auto_scan", Map.of("auto_scan", "maybe")),
            400, "BAD_REQUEST");
        // off: a push scans nothing
        String digest = http.as(ADMIN).push(project + "/app", "1.0", TestImage.simple(unique("seed")));
        assertThat(http.as(ADMIN).delete("/api/v2.0/projects/" + project + "/metadatas/auto_scan").status()).isEqualTo(200);
        http.as(ADMIN).push(project + "/app", "1.1", TestImage.simple(unique("seed")));
        worker.runDueJobs();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scan_job WHERE repository = ?", Integer.class, project + "/app"))
            .isEqualTo(1);
        assertThat(requestsFor(digest)).hasSize(1);
    }

    /** Pushes a fresh image as {@code repository:1.0} and asks for its scan (202); returns its digest. */
    private String pushAndScan(String repository) {
        String digest = http.as(ADMIN).push(repository, "1.0", TestImage.simple(unique("seed")));
        http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan", Map.of()).expect(202);
        return digest;
    }
}
