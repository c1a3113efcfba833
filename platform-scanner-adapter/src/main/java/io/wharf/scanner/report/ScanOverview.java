package io.wharf.scanner.report;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * Harbor's {@code NativeReportSummary}: one entry of an artifact's {@code scan_overview}, keyed by
 * report media type. For an index it summarises its children (worst severity, summed counts,
 * {@code completePercent} the share of children whose scan ended).
 *
 * @param reportId        the report's uuid; the job's while there is no report
 * @param status          {@code Pending}, {@code Running}, {@code Success}, {@code Error} or {@code Stopped}
 * @param summary         the counts, null unless a report exists
 * @param durationSeconds from start to end, 0 while running
 * @param scanner         the scanner's name, vendor and version, when known
 */
public record ScanOverview(String reportId, String status, @Nullable String severity, long durationSeconds,
                           @Nullable ReportSummary summary, @Nullable OffsetDateTime startTime,
                           @Nullable OffsetDateTime endTime, int completePercent, @Nullable Scanner scanner) {

    /** The scanner that wrote the report. */
    public record Scanner(String name, String vendor, String version) {
    }
}
