package io.wharf.api.scanner;

import io.wharf.api.WharfNodes;
import io.wharf.scanner.trigger.ScanWorker;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.scanner.ScannerAdapterEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one database: the limit of concurrent scans per scanner holds across them, and a
 * queued scan outlives the node that queued it (the other node runs it after that node stopped).
 * Each node's worker is driven by the test; the adapter answers {@code Refresh-After: 0}.
 */
class ScanTwoNodeIT {

    private static final String ADMIN_PASSWORD = "Admin12345";
    private static final Credentials ADMIN = Credentials.basic("admin", ADMIN_PASSWORD);

    private static WharfNodes nodes;
    private static ScannerAdapterEmulator adapter;

    @BeforeAll
    static void start() throws Exception {
        adapter = ScannerAdapterEmulator.start().refreshAfter(0);
        nodes = WharfNodes.start(2, "--wharf.admin-password=" + ADMIN_PASSWORD, "--wharf.scanner.worker-enabled=false",
            "--wharf.scanner.max-concurrent-scans=1");
    }

    @AfterAll
    static void stop() {
        nodes.close();
        adapter.close();
    }

    @Test
    void theLimitHoldsAcrossNodesAndAQueuedScanOutlivesItsNode() {
        RegistryClient first = RegistryClient.forPort(nodes.port(0)).as(ADMIN);
        assertThat(first.post("/api/v2.0/projects", Map.of("project_name", "two", "metadata", Map.of("public", "false"))).status())
            .isEqualTo(201);
        assertThat(first.post("/api/v2.0/scanners", Map.of("name", "trivy", "url", adapter.url().toString(), "auth", "",
            "access_credential", "")).status()).isEqualTo(201);
        assertThat(first.put("/api/v2.0/projects/two/metadatas/auto_scan", Map.of("auto_scan", "true")).status()).isEqualTo(200);
        String a = first.push("two/a", "1", TestImage.simple("two-node-a"));
        String b = first.push("two/b", "1", TestImage.simple("two-node-b"));
        ScanWorker worker0 = nodes.node(0).getBean(ScanWorker.class);
        ScanWorker worker1 = nodes.node(1).getBean(ScanWorker.class);
        JdbcTemplate jdbc = nodes.node(1).getBean(JdbcTemplate.class);

        worker0.runDueJobs();
        worker1.runDueJobs();
        worker0.runDueJobs();
        assertThat(adapter.scanRequests()).as("one scan at a time for this scanner, whichever node asks").hasSize(1);
        String running = adapter.scanRequests().get(0).digest();
        String queued = running.equals(a) ? b : a;
        assertThat(jdbc.queryForObject("SELECT status FROM scan_job WHERE digest = ?", String.class, queued)).isEqualTo("Pending");

        nodes.node(0).close(); // the node that queued both stops
        adapter.markReady(adapter.scanRequests().get(0).id());
        worker1.runDueJobs(); // the first report; the limit frees a place
        worker1.runDueJobs(); // the queued scan starts on the remaining node
        assertThat(adapter.scanRequests()).hasSize(2);
        ScannerAdapterEmulator.ScanRequestRecord second = adapter.scanRequests().get(1);
        assertThat(second.digest()).isEqualTo(queued);
        assertThat(second.registryUrl()).isEqualTo("http://127.0.0.1:" + nodes.port(1));
        assertThat(adapter.pulls().get(second.id()).succeeded()).as("pulled from the remaining node").isTrue();
        adapter.markReady(second.id());
        worker1.runDueJobs();
        assertThat(jdbc.queryForList("SELECT status FROM scan_job ORDER BY id", String.class)).containsExactly("Success", "Success");
    }
}
