package io.wharf.web.scanner;

import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.scanner.RegistryPuller;
import io.wharf.testkit.scanner.ScannerAdapterEmulator;
import io.wharf.testkit.scanner.ScannerAdapterEmulator.ScanRequestRecord;
import io.wharf.web.cluster.ClusterNode;
import io.wharf.web.cluster.WharfProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scanning in the built {@code wharf.jar} as it runs in production: the scheduled worker (no test drives the queue),
 * PostgreSQL, an external URL the adapter cannot reach and {@code wharf.scanner.registry-url} for a registration with
 * {@code use_internal_addr}, as when the adapter runs in a container beside Wharf. The adapter emulator pulls every
 * artifact it is asked to scan as trivy does (an anonymous {@code GET /v2/}, then a token from the challenge's realm),
 * so a finished scan proves the pull through the registry URL worked, realm included. Then the node
 * stops gracefully with one scan waiting for its report and one still queued behind the scanner's limit, and starts
 * again on the same database and data directory: both finish.
 *
 * <p>Waits are conditions polled with a deadline: the worker runs on the node's wall clock every second.
 */
class ScanningProcessIT {

    private static final Duration START = Duration.ofMinutes(4);
    private static final Duration SCAN = Duration.ofMinutes(3);
    /** Resolves nowhere (RFC 2606): an adapter sent there could not pull. */
    private static final String EXTERNAL_URL = "http://wharf.invalid";
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path work;

    private final ScannerAdapterEmulator adapter = ScannerAdapterEmulator.start().pullMode(RegistryPuller.Mode.TOKEN);
    private final String schema = PostgresTestDatabase.newSchema();
    private WharfProcess node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        adapter.close();
    }

    @Test
    void theScheduledWorkerScansThroughTheRegistryUrlAndAQueuedScanSurvivesARestart() throws Exception {
        int port = WharfProcess.freePort();
        String registryUrl = "http://127.0.0.1:" + port;
        start(port, registryUrl);
        RegistryClient admin = node.client().asAdmin();
        admin.post("/api/v2.0/projects", Map.of("project_name", "scans", "metadata", Map.of("public", "false"))).expect(201);
        Response registered = admin.post("/api/v2.0/scanners", Map.of("name", "trivy", "url", adapter.url().toString(),
            "auth", "", "access_credential", "", "use_internal_addr", true)).expect(201);
        String location = registered.headerValue("Location");
        admin.put("/api/v2.0/projects/scans/scanner", Map.of("uuid", location.substring(location.lastIndexOf('/') + 1))).expect(200);
        admin.put("/api/v2.0/projects/scans/metadatas/auto_scan", Map.of("auto_scan", "true")).expect(200);

        // scan on push, run by the node's own worker: one 302 with Refresh-After, then the report
        adapter.readyAfterPolls(1).refreshAfter(1);
        String first = admin.push("scans/app", "1", TestImage.simple("scanning-process-1"));
        await("the scan of the first push finishes", SCAN, () -> {
            String status = scanStatus(admin, "1");
            assertThat(status).as("the scan of %s; see %s", first, node.log()).isNotEqualTo("Error");
            return "Success".equals(status);
        });
        ScanRequestRecord request = onlyRequestFor(first);
        assertThat(request.registryUrl()).as("use_internal_addr: the registry URL, not the external URL").isEqualTo(registryUrl);
        assertThat(adapter.pulls().get(request.id()).succeeded()).as("the realm is reachable: %s", adapter.pulls().get(request.id()))
            .isTrue();
        assertThat(adapter.pulls().get(request.id()).pulled().manifests()).containsKey(first);
        assertThat(admin.get(artifact("1") + "?with_scan_overview=true").expect(200).json().path("scan_overview")
            .path(ScannerAdapterEmulator.VULNERABILITY_REPORT).path("severity").asString()).isEqualTo("High");

        // the adapter holds the next report: one scan runs, the other waits behind max-concurrent-scans=1
        adapter.readyAfterPolls(-1);
        String second = admin.push("scans/app", "2", TestImage.simple("scanning-process-2"));
        String third = admin.push("scans/app", "3", TestImage.simple("scanning-process-3"));
        await("one of the two is submitted", SCAN, () -> adapter.scanRequests().size() == 2);
        ScanRequestRecord held = adapter.scanRequests().get(1);
        String queued = held.digest().equals(second) ? third : second;
        assertThat(held.digest()).isIn(second, third);
        assertThat(statuses()).containsEntry(held.digest(), "Running").containsEntry(queued, "Pending");

        node.close();
        assertThat(statuses()).as("the queue outlives the node").containsEntry(held.digest(), "Running")
            .containsEntry(queued, "Pending");
        adapter.markReady(held.id());
        adapter.readyAfterPolls(1);
        start(port, registryUrl);

        await("both scans finish after the restart", SCAN, () -> {
            Map<String, String> statuses = statuses();
            assertThat(statuses).as("see %s", node.log()).doesNotContainValue("Error");
            return "Success".equals(statuses.get(held.digest())) && "Success".equals(statuses.get(queued));
        });
        ScanRequestRecord late = onlyRequestFor(queued);
        assertThat(late.registryUrl()).isEqualTo(registryUrl);
        assertThat(adapter.pulls().get(late.id()).succeeded()).as("%s", adapter.pulls().get(late.id())).isTrue();
        assertThat(requestsFor(held.digest())).as("the held scan was polled, not submitted again").hasSize(1);
        RegistryClient again = node.client().asAdmin();
        for (String tag : List.of("1", "2", "3")) {
            assertThat(scanStatus(again, tag)).as("tag %s", tag).isEqualTo("Success");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Starts (or restarts) the node on {@link #schema} and {@code work/data}, and waits until it is ready. */
    private void start(int port, String registryUrl) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(PostgresTestDatabase.arguments(schema)));
        arguments.addAll(List.of(
            "--wharf.data-dir=" + work.resolve("data"),
            "--wharf.external-url=" + EXTERNAL_URL,
            "--wharf.scanner.registry-url=" + registryUrl,
            "--wharf.scanner.poll-interval=1s",
            "--wharf.scanner.max-concurrent-scans=1",
            // a job whose lease the stop cut short is due again within the wait below
            "--wharf.scanner.lease=1m",
            "--spring.jmx.enabled=false"));
        node = WharfProcess.launch("wharf", work, port, JVM_OPTIONS, arguments, Map.of(
            TestAccounts.ADMIN_PASSWORD_ENV, TestAccounts.ADMIN_PASSWORD,
            "WHARF_SECRET_KEY", ClusterNode.SECRET_KEY)).awaitReady(START);
    }

    private static String artifact(String tag) {
        return "/api/v2.0/projects/scans/repositories/app/artifacts/" + tag;
    }

    private static String scanStatus(RegistryClient admin, String tag) {
        return admin.get(artifact(tag) + "?with_scan_overview=true").expect(200).json().path("scan_overview")
            .path(ScannerAdapterEmulator.VULNERABILITY_REPORT).path("scan_status").asString();
    }

    private List<ScanRequestRecord> requestsFor(String digest) {
        return adapter.scanRequests().stream().filter(r -> r.digest().equals(digest)).toList();
    }

    private ScanRequestRecord onlyRequestFor(String digest) {
        List<ScanRequestRecord> requests = requestsFor(digest);
        assertThat(requests).as("scan requests for %s", digest).hasSize(1);
        return requests.get(0);
    }

    /** The status of each digest's newest scan job, read from the node's schema (the node may be down). */
    private Map<String, String> statuses() {
        try (Connection db = DriverManager.getConnection(PostgresTestDatabase.url(), PostgresTestDatabase.user(),
                 PostgresTestDatabase.password());
             PreparedStatement query = db.prepareStatement("SELECT digest, status FROM " + schema + ".scan_job ORDER BY id");
             ResultSet rows = query.executeQuery()) {
            Map<String, String> statuses = new java.util.HashMap<>();
            while (rows.next()) {
                statuses.put(rows.getString("digest"), rows.getString("status"));
            }
            return statuses;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} every 100 ms until it holds; fails after {@code deadline} or when the node died. */
    private void await(String what, Duration deadline, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(node.alive()).as("the node is running; see %s", node.log()).isTrue();
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline + ": " + what + "; see " + node.log());
            }
            Thread.sleep(100);
        }
    }
}
