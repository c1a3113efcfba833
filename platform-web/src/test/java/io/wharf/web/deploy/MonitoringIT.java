package io.wharf.web.deploy;

import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.web.PlatformApplication;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running node's {@code /metrics} after real traffic (two pushes of one image into two repositories
 * of a project, a blob pushed in chunks, pulls through the token flow, a pull of an unknown tag, failed logins, an upload left
 * open): the meters carry the values that traffic must produce, {@code /v2} routes are tagged by
 * template, and every metric the shipped alert rules and dashboard query is served.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringIT {

    private static final String PROJECT = "observed";
    private static final String MANIFESTS = "/v2/{name}/manifests/{reference}";
    private static final int FAILED_LOGINS = 3;

    @LocalServerPort
    int port;

    private final TestImage image = TestImage.simple("monitoring");
    /** A blob pushed in three PATCH chunks. */
    private final byte[] chunked = "a blob that arrives in chunks of eight bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private Scrape before;
    private Scrape after;

    /** The storage limit of the second project, in bytes. */
    private static final long LIMIT = 1L << 30;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        TestAccounts.properties().forEach((key, value) -> registry.add(key, () -> value));
        // the database gauges are cached for this long (30 s by default): here every scrape reads the database
        registry.add("wharf.metrics.usage-refresh", () -> "1ms");
        try {
            String dataDir = Files.createTempDirectory("wharf-monitoring").toString();
            registry.add("wharf.data-dir", () -> dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    void realTraffic() {
        before = scrape();
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        admin.createProject(PROJECT, false);
        admin.post("/api/v2.0/projects", Map.of("project_name", PROJECT + "-limited", "storage_limit", LIMIT)).expect(201);
        admin.push(PROJECT + "/app", "1.0", image);
        admin.push(PROJECT + "/copy", "1.0", image);
        admin.pushBlobChunked(PROJECT + "/copy", chunked, 16);

        RegistryClient puller = admin.withTokenFlow();
        puller.getManifest(PROJECT + "/app", "1.0").expect(200);
        puller.getBlob(PROJECT + "/app", image.layerDigest()).expect(200);
        puller.getManifest(PROJECT + "/app", "no-such-tag").expect(404);

        RegistryClient intruder = RegistryClient.forPort(port).withBasic("intruder", "not-the-password");
        intruder.get("/v2/").expect(401);
        intruder.get("/v2/").expect(401);
        intruder.get("/service/token?service=wharf").expect(401);

        admin.startUpload(PROJECT + "/app").expect(202);
        // the first scrape after new projects loads the database gauges and adds the new projects' series
        scrape();
        after = scrape();
    }

    @Test
    void servesThePrometheusTextFormatWithoutCredentials() {
        Response response = RegistryClient.forPort(port).anonymous().get("/metrics").expect(200);
        assertThat(response.headerValue("Content-Type")).startsWith("text/plain").contains("version=0.0.4");
        assertThat(response.text()).contains("# TYPE wharf_registry_push_bytes_total counter");
        // one address: the actuator no longer serves a second, unguarded copy
        assertThat(RegistryClient.forPort(port).anonymous().get("/actuator/prometheus").status()).isEqualTo(404);
    }

    @Test
    void countsPushedAndPulledBytesByKindAndProject() {
        long blobs = image.blobs().stream().mapToLong(b -> b.length).sum();
        long manifest = image.manifest().length;
        // each repository received every blob and the manifest once, and one more blob came in chunks
        assertThat(after.sum("wharf_registry_push_bytes_total", "kind", "blob", "project", PROJECT)).isEqualTo(2.0 * blobs + chunked.length);
        assertThat(after.sum("wharf_registry_push_bytes_total", "kind", "manifest", "project", PROJECT)).isEqualTo(2.0 * manifest);
        // one manifest and one layer went out; the unknown tag sent nothing
        assertThat(after.sum("wharf_registry_pull_bytes_total", "kind", "manifest", "project", PROJECT)).isEqualTo(manifest);
        assertThat(after.sum("wharf_registry_pull_bytes_total", "kind", "blob", "project", PROJECT)).isEqualTo(image.layer().length);
    }

    @Test
    void countsRequestsByRouteTemplateMethodAndStatus() {
        String count = "http_server_requests_seconds_count";
        assertThat(after.sum(count, "uri", MANIFESTS, "method", "PUT", "status", "201")).isEqualTo(2);
        assertThat(after.sum(count, "uri", MANIFESTS, "method", "GET", "status", "200")).isEqualTo(1);
        assertThat(after.sum(count, "uri", MANIFESTS, "method", "GET", "status", "404")).isEqualTo(1);
        // the token flow's first try is answered by the security chain, and still counted under its route
        assertThat(after.sum(count, "uri", MANIFESTS, "method", "GET", "status", "401")).isGreaterThanOrEqualTo(1);
        assertThat(after.sum(count, "uri", "/v2/{name}/blobs/{digest}", "method", "GET", "status", "200")).isEqualTo(1);
        assertThat(after.sum(count, "uri", "/v2/{name}/blobs/uploads/", "method", "POST", "status", "202")).isEqualTo(6);
        assertThat(after.sum(count, "uri", "/v2/{name}/blobs/uploads/{reference}", "method", "PUT", "status", "201")).isEqualTo(5);
        assertThat(after.sum(count, "uri", "/v2/{name}/blobs/uploads/{reference}", "method", "PATCH", "status", "202")).isEqualTo(3);
        // bounded: no repository name, reference, digest or internal path in any uri tag
        Set<String> uris = new TreeSet<>();
        after.matching(count).forEach(s -> uris.add(s.labels().get("uri")));
        assertThat(uris).isNotEmpty().noneMatch(u -> u.contains(PROJECT) || u.contains("sha256") || u.contains("_wharf") || u.contains("1.0"));
    }

    @Test
    void observesEachRequestOnceNotEachSecurityFilter() {
        // issue 13: the per-filter observations of Spring Security cost CPU on every request (bench/README.md)
        assertThat(RegistryClient.forPort(port).anonymous().get("/metrics").expect(200).text()).doesNotContain("spring_security_");
    }

    @Test
    void countsAuthenticationFailures() {
        double failures = after.sum("wharf_auth_failures_total", "reason", "bad_credentials")
            - before.sum("wharf_auth_failures_total", "reason", "bad_credentials");
        assertThat(failures).isEqualTo(FAILED_LOGINS);
        assertThat(before.matching("wharf_auth_failures_total", "reason", "locked")).as("exists before any failure").hasSize(1);
    }

    @Test
    void reportsUploadsAndStorageFromTheDatabase() {
        assertThat(after.sum("wharf_uploads_in_progress")).isEqualTo(1);
        // config, layer and manifest, each once although two repositories hold them; the chunked blob, linked but unused
        long stored = image.blobs().stream().mapToLong(b -> b.length).sum() + image.manifest().length + chunked.length;
        assertThat(after.sum("wharf_project_storage_used_bytes", "project", PROJECT)).isEqualTo(stored);
        assertThat(after.sum("wharf_project_storage_quota_bytes", "project", PROJECT)).as("no limit").isEqualTo(-1);
        assertThat(after.sum("wharf_project_storage_quota_bytes", "project", PROJECT + "-limited")).isEqualTo(LIMIT);
        double total = after.sum("wharf_storage_volume_total_bytes");
        assertThat(total).isPositive();
        assertThat(after.sum("wharf_storage_volume_free_bytes")).isPositive().isLessThanOrEqualTo(total);
    }

    @Test
    void servesTheJvmPoolAndReplicationMeters() {
        assertThat(after.names()).contains("jvm_memory_used_bytes", "jvm_gc_max_data_size_bytes", "jvm_threads_live_threads",
            "process_cpu_usage", "hikaricp_connections_active", "hikaricp_connections_pending", "hikaricp_connections_max");
        for (String status : new String[] {"succeed", "failed", "stopped"}) {
            assertThat(after.matching("wharf_replication_executions_total", "status", status)).as(status).hasSize(1);
        }
    }

    @Test
    void servesTheWebhookDeliveryAndScanQueueMetersBeforeTheirFirstUse() {
        for (String outcome : new String[] {"success", "retry", "error", "stopped"}) {
            assertThat(before.matching("wharf_webhook_deliveries_total", "outcome", outcome)).as(outcome).hasSize(1);
            assertThat(before.sum("wharf_webhook_deliveries_total", "outcome", outcome)).as(outcome).isZero();
        }
        for (String status : new String[] {"pending", "running"}) {
            assertThat(after.matching("wharf_scanner_queue_depth", "status", status)).as(status).hasSize(1);
        }
    }

    @Test
    void everyMetricOfTheAlertRulesIsServed() {
        Map<String, Map<String, Object>> alerts = MonitoringFiles.alerts(RepositoryFiles.read(MonitoringFiles.RULES));
        alerts.forEach((name, rule) -> {
            Set<String> used = MonitoringFiles.metricNames(String.valueOf(rule.get("expr")));
            assertThat(used).as(name).isNotEmpty();
            assertThat(after.names()).as(name).containsAll(withoutBuiltins(used));
        });
    }

    @Test
    void everyMetricOfTheDashboardIsServed() {
        for (Map.Entry<String, String> query : MonitoringFiles.dashboardQueries(RepositoryFiles.read(MonitoringFiles.DASHBOARD))) {
            Set<String> used = MonitoringFiles.metricNames(query.getValue());
            assertThat(used).as(query.getKey()).isNotEmpty();
            assertThat(after.names()).as(query.getKey() + ": " + query.getValue()).containsAll(withoutBuiltins(used));
        }
    }

    /** The names Prometheus itself adds to every target (only {@code up} is used). */
    private static Set<String> withoutBuiltins(Set<String> names) {
        Set<String> rest = new TreeSet<>(names);
        rest.remove("up");
        return rest;
    }

    private Scrape scrape() {
        return Scrape.parse(RegistryClient.forPort(port).anonymous().get("/metrics").expect(200).text());
    }
}
