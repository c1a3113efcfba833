package io.wharf.scanner.report;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportSummaryTest {

    @Test
    void countsBySeverityFixableAndTheWorst() {
        ReportSummary summary = ReportSummary.of("""
            {"severity":"High","vulnerabilities":[
              {"id":"CVE-1","severity":"High","fix_version":"1.2"},
              {"id":"CVE-2","severity":"low","fix_version":""},
              {"id":"CVE-3","severity":"Low"},
              {"id":"CVE-4","severity":"whatever","fix_version":"2"}]}""");
        assertThat(summary.severity()).isEqualTo("High");
        assertThat(summary.total()).isEqualTo(4);
        assertThat(summary.fixable()).isEqualTo(2);
        assertThat(summary.bySeverity()).isEqualTo(Map.of("High", 1, "Low", 2, "Unknown", 1));
    }

    @Test
    void aReportWithoutVulnerabilitiesIsNone() {
        ReportSummary summary = ReportSummary.of("{\"vulnerabilities\":[]}");
        assertThat(summary.severity()).isEqualTo("None");
        assertThat(summary.total()).isZero();
    }

    @Test
    void rejectsWhatIsNotAJsonObject() {
        assertThatThrownBy(() -> ReportSummary.of("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReportSummary.of("not json")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIndexSummarisesItsChildren() {
        OffsetDateTime t0 = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        ScanOverview done = new ScanOverview("a", "Success", "High", 10,
            new ReportSummary("High", 2, 1, Map.of("High", 1, "Low", 1)), t0, t0.plusSeconds(10), 100, null);
        ScanOverview critical = new ScanOverview("b", "Success", "Critical", 5,
            new ReportSummary("Critical", 1, 1, Map.of("Critical", 1)), t0.plusSeconds(2), t0.plusSeconds(20), 100, null);
        ScanOverview running = new ScanOverview("c", "Running", null, 0, null, t0, null, 0, null);

        ScanOverview all = ScanReportService.summarise(List.of(done, critical), 2);
        assertThat(all.status()).isEqualTo("Success");
        assertThat(all.severity()).isEqualTo("Critical");
        assertThat(all.summary().total()).isEqualTo(3);
        assertThat(all.summary().fixable()).isEqualTo(2);
        assertThat(all.summary().bySeverity()).containsEntry("Critical", 1).containsEntry("High", 1);
        assertThat(all.durationSeconds()).isEqualTo(20);
        assertThat(all.completePercent()).isEqualTo(100);

        ScanOverview partly = ScanReportService.summarise(List.of(done, running), 3);
        assertThat(partly.status()).isEqualTo("Running");
        assertThat(partly.completePercent()).isEqualTo(33);
        assertThat(partly.endTime()).isNull();
    }
}
