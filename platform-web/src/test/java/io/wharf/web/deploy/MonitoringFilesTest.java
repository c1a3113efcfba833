package io.wharf.web.deploy;

import io.wharf.web.clients.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.wharf.web.deploy.MonitoringFiles.metricNames;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules and the dashboard as files: the rules parse as a Prometheus rule file with the
 * alerts of issue #11, each with a severity, a duration and a summary, and Prometheus's own
 * {@code promtool check rules} accepts them (a {@link Cli#require required} tool); the chart's copy
 * is the same file; the dashboard parses, every panel queries Prometheus through the dashboard's data source
 * variable. That their metric names exist is checked against a running node ({@code MonitoringIT}).
 */
class MonitoringFilesTest {

    @Test
    void rulesDefineTheAlertsOfTheOperationsIssue() {
        Map<String, Map<String, Object>> alerts = MonitoringFiles.alerts(RepositoryFiles.read(MonitoringFiles.RULES));
        assertThat(alerts).containsOnlyKeys("WharfProjectStorageNearQuota", "WharfStorageVolumeNearFull",
            "WharfManifestPullFailureRateHigh", "WharfAuthenticationFailuresHigh", "WharfNodeDown");
        alerts.forEach((name, rule) -> {
            assertThat(String.valueOf(rule.get("expr"))).as(name).isNotBlank();
            assertThat(String.valueOf(rule.get("for"))).as(name).matches("[0-9]+[smh]");
            assertThat(RepositoryFiles.<String>at(rule, "labels.severity")).as(name).isIn("warning", "critical");
            assertThat(RepositoryFiles.<String>at(rule, "annotations.summary")).as(name).isNotBlank();
        });
        assertThat(String.valueOf(alerts.get("WharfProjectStorageNearQuota").get("expr"))).contains("> 0.85");
        assertThat(String.valueOf(alerts.get("WharfStorageVolumeNearFull").get("expr"))).contains("> 0.85");
        assertThat(String.valueOf(alerts.get("WharfManifestPullFailureRateHigh").get("expr")))
            .contains("uri=\"/v2/{name}/manifests/{reference}\"", "method=\"GET\"", "> 0.05");
        assertThat(String.valueOf(alerts.get("WharfAuthenticationFailuresHigh").get("expr"))).contains("* 60 > 10");
        assertThat(String.valueOf(alerts.get("WharfNodeDown").get("expr"))).contains("up{", "== 0");
    }

    @Test
    void promtoolAcceptsTheRules(@TempDir Path work) {
        Optional<Path> promtool = Cli.onPath("promtool");
        Cli.require(promtool.isPresent(), "promtool is not installed (.ci/run unpacks it from Debian's prometheus package)");
        Cli.Result checked = Cli.of(promtool.get(), work, Map.of(), List.of())
            .ok(Duration.ofMinutes(1), "check", "rules", RepositoryFiles.root().resolve(MonitoringFiles.RULES).toString());
        assertThat(checked.output()).contains("SUCCESS: 5 rules found");
    }

    @Test
    void theChartRendersTheSameRulesFile() {
        // Helm reads only files inside the chart: the chart holds a copy, which must not drift
        assertThat(RepositoryFiles.read(MonitoringFiles.HELM_RULES)).isEqualTo(RepositoryFiles.read(MonitoringFiles.RULES));
    }

    @Test
    void dashboardPanelsQueryPrometheusThroughTheDataSourceVariable() {
        String json = RepositoryFiles.read(MonitoringFiles.DASHBOARD);
        List<Map.Entry<String, String>> queries = MonitoringFiles.dashboardQueries(json);
        assertThat(queries).hasSizeGreaterThan(10).allSatisfy(q -> assertThat(q.getValue()).as(q.getKey()).isNotBlank());
        assertThat(json).contains("\"uid\": \"${datasource}\"").doesNotContain("\"uid\": \"prometheus\"");
        // the signals of the alerts are on the dashboard too
        String all = String.join("\n", queries.stream().map(Map.Entry::getValue).toList());
        assertThat(all).contains("wharf_project_storage_used_bytes", "wharf_storage_volume_free_bytes", "wharf_auth_failures_total",
            "/v2/{name}/manifests/{reference}", "up{", "wharf_registry_pull_bytes_total", "wharf_registry_push_bytes_total",
            "wharf_uploads_in_progress", "wharf_replication_executions_total", "wharf_gc_runs_total", "wharf_webhook_deliveries_total",
            "jvm_memory_used_bytes", "hikaricp_connections_active");
    }

    @Test
    void readsMetricNamesOutOfPromQl() {
        assertThat(metricNames("sum by (job) (rate(http_server_requests_seconds_count{method=\"GET\", uri=\"/v2/{name}/x\", status=~\"5..\"}[5m]))"
            + " / sum by (job) (rate(http_server_requests_seconds_count[$__rate_interval])) > 0.05"))
            .containsExactly("http_server_requests_seconds_count");
        assertThat(metricNames("1 - a_free_bytes / a_total_bytes > 0.85")).containsExactly("a_free_bytes", "a_total_bytes");
        assertThat(metricNames("max by (project) (used) / max by (project) (quota > 0)")).isEqualTo(Set.of("used", "quota"));
        assertThat(metricNames("up{job=~\".*wharf.*\"} == 0")).containsExactly("up");
        assertThat(metricNames("sum by (reason) (rate(wharf_auth_failures_total[2m])) * 60 > 1e3")).containsExactly("wharf_auth_failures_total");
    }
}
