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
 * Base of the scanning integration tests: one context (the queue driven by
 * {@link ScanWorker#runDueJobs()}, time by {@link #CLOCK}) and an adapter emulator per class, which
 * really pulls each artifact from Wharf with the scan credential it was sent; with helpers to set up
 * a project with its own registration and to drive scans to their end. Nothing sleeps.
 */
@Import(ScanningIntegrationTest.Beans.class)
abstract class ScanningIntegrationTest extends AccountsIntegrationTest {

    static final MutableClock CLOCK = new MutableClock();
    static final String REPORT = ScannerAdapterEmulator.VULNERABILITY_REPORT;

    @TestConfiguration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return CLOCK;
        }

        /** The API module has no actuator; the web module's registry stands in. */
        @Bean
        MeterRegistry meterRegistry() {
            return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        }
    }

    @DynamicPropertySource
    static void scanning(DynamicPropertyRegistry registry) {
        registry.add("wharf.scanner.worker-enabled", () -> "false");
        registry.add("wharf.scanner.max-attempts", () -> "3");
        registry.add("wharf.scanner.retry-backoff", () -> "10s");
        registry.add("wharf.scanner.timeout", () -> "10m");
        registry.add("spring.quartz.scheduler-name", () -> "scan-it");
        registry.add("wharf.webhook.poll-interval", () -> "1h"); // deliveries are driven by deliverDueNow()
    }

    static ScannerAdapterEmulator adapter;

    @Autowired
    ScanWorker worker;

    @Autowired
    MeterRegistry meters;

    @BeforeAll
    static void startAdapter() {
        adapter = ScannerAdapterEmulator.start();
    }

    @AfterAll
    static void stopAdapter() {
        adapter.close();
    }

    @Autowired
    org.springframework.context.ApplicationContext context;

    @BeforeEach
    void resetAdapter() {
        assertThat(context.containsBean("scanWorkerSchedule")).as("the queue is driven by the tests alone").isFalse();
        adapter.failWith(0, "").hang(Duration.ZERO).readyAfterPolls(-1).reportFailure(null).reportStatus(0).refreshAfter(5)
            .pullOnScan(true);
        worker.runDueJobs(); // nothing of an earlier test stays due
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** A project with its own registration of the emulator; {@code autoScan} sets its {@code auto_scan}. */
    String project(boolean autoScan) {
        String project = unique("scan");
        createProject(project, false, ADMIN);
        Response created = http.as(ADMIN).post("/api/v2.0/scanners", Map.of("name", unique("trivy"),
            "url", adapter.url().toString(), "auth", "", "access_credential", ""));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String location = created.header("Location").orElseThrow();
        String uuid = location.substring(location.lastIndexOf('/') + 1);
        assertThat(http.as(ADMIN).put("/api/v2.0/projects/" + project + "/scanner", Map.of("uuid", uuid)).status()).isEqualTo(200);
        if (autoScan) {
            Response set = http.as(ADMIN).put("/api/v2.0/projects/" + project + "/metadatas/auto_scan", Map.of("auto_scan", "true"));
            assertThat(set.status()).as("%s", set).isEqualTo(200);
        }
        return project;
    }

    String artifactPath(String repository, String reference) {
        String[] parts = repository.split("/", 2);
        return "/api/v2.0/projects/" + parts[0] + "/repositories/" + parts[1].replace("/", "%252F") + "/artifacts/" + reference;
    }

    List<ScanRequestRecord> requestsFor(String digest) {
        return adapter.scanRequests().stream().filter(r -> r.digest().equals(digest)).toList();
    }

    ScanRequestRecord onlyRequestFor(String digest) {
        List<ScanRequestRecord> requests = requestsFor(digest);
        assertThat(requests).as("scan requests for %s", digest).hasSize(1);
        return requests.get(0);
    }

    JsonNode overview(String repository, String reference) {
        Response got = http.as(ADMIN).get(artifactPath(repository, reference) + "?with_scan_overview=true");
        assertThat(got.status()).as("%s", got).isEqualTo(200);
        return got.json().path("scan_overview");
    }

    String status(String digest) {
        return jdbc.queryForObject("SELECT status FROM scan_job WHERE digest = ? ORDER BY id DESC LIMIT 1", String.class, digest);
    }

    static String[] basic(String authorization) {
        String decoded = new String(Base64.getDecoder().decode(authorization.substring("Basic ".length())), StandardCharsets.UTF_8);
        return decoded.split(":", 2);
    }

    /** Submits due jobs, makes their reports ready and collects them. */
    void scanToEnd() {
        worker.runDueJobs();
        adapter.scanRequests().forEach(r -> adapter.markReady(r.id()));
        CLOCK.advance(Duration.ofSeconds(5));
        worker.runDueJobs();
    }

}
