package io.wharf.api.scanner;

import io.wharf.api.ApiTestApplication;
import io.wharf.scanner.trigger.ScanWorker;
import io.wharf.testkit.H2TestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.scanner.ScannerAdapterEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan queue on the embedded database (H2 in PostgreSQL mode): its SQL (dedup by
 * {@code ON CONFLICT DO NOTHING}, claims with {@code FOR UPDATE SKIP LOCKED}, leases, stop) runs
 * there as on PostgreSQL, from push to report.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ScanEmbeddedDatabaseIT {

    static final ScannerAdapterEmulator ADAPTER = ScannerAdapterEmulator.start().refreshAfter(0).readyAfterPolls(1);
    static final String REPORT = ScannerAdapterEmulator.VULNERABILITY_REPORT;

    @LocalServerPort
    int port;

    @Autowired
    ScanWorker worker;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        H2TestDatabase.properties("scanning").forEach((key, value) -> registry.add(key, () -> value));
        TestAccounts.properties().forEach((key, value) -> registry.add(key, () -> value));
        String dataDir = Files.createTempDirectory("wharf-scanning-h2").toString();
        registry.add("wharf.data-dir", () -> dataDir);
        registry.add("wharf.scanner.worker-enabled", () -> "false");
        registry.add("spring.quartz.scheduler-name", () -> "scan-h2-it");
    }

    @AfterAll
    static void stopAdapter() {
        ADAPTER.close();
    }

    @Test
    void scansFromPushToReportOnTheEmbeddedDatabase() {
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        assertThat(admin.post("/api/v2.0/projects", Map.of("project_name", "embedded", "metadata", Map.of("public", "false")))
            .status()).isEqualTo(201);
        assertThat(admin.post("/api/v2.0/scanners", Map.of("name", "trivy", "url", ADAPTER.url().toString(), "auth", "",
            "access_credential", "")).status()).isEqualTo(201);
        assertThat(admin.put("/api/v2.0/projects/embedded/metadatas/auto_scan", Map.of("auto_scan", "true")).status())
            .isEqualTo(200);
        String digest = admin.push("embedded/app", "1.0", TestImage.simple("h2-scan"));
        String other = admin.push("embedded/app", "2.0", TestImage.simple("h2-scan-2"));
        assertThat(admin.post("/api/v2.0/projects/embedded/repositories/app/artifacts/1.0/scan", Map.of()).status())
            .as("deduplicated with the scan on push").isEqualTo(202);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scan_job WHERE digest = ?", Integer.class, digest)).isEqualTo(1);
        assertThat(admin.post("/api/v2.0/projects/embedded/repositories/app/artifacts/2.0/scan/stop", Map.of()).status())
            .isEqualTo(202);

        worker.runDueJobs(); // submitted, first poll 302
        assertThat(ADAPTER.pulls().values()).singleElement().matches(ScannerAdapterEmulator.PullOutcome::succeeded);
        worker.runDueJobs(); // the report

        Response artifact = admin.get("/api/v2.0/projects/embedded/repositories/app/artifacts/1.0?with_scan_overview=true");
        assertThat(artifact.json().path("scan_overview").path(REPORT).path("scan_status").asString()).isEqualTo("Success");
        assertThat(artifact.json().path("scan_overview").path(REPORT).path("summary").path("total").asInt()).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT status FROM scan_job WHERE digest = ?", String.class, other)).isEqualTo("Stopped");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scan_credential", Integer.class)).isZero();
    }
}
