package io.wharf.web.console.repository;

import io.wharf.scanner.report.ScanOverview;
import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * An artifact's scan as the repository page shows it, from its {@code scan_overview} (for an index,
 * the summary of its children): the newest scan's status and, once it succeeded, its severity bar.
 *
 * @param status          {@code Pending}, {@code Running}, {@code Success}, {@code Error} or {@code Stopped}
 * @param bar             the findings; null until a report exists
 * @param completePercent for an index, the share of its children whose scan ended
 */
public record ScanCell(String status, @Nullable SeverityBar bar, int completePercent) {

    /** The cell of an artifact's overview by report type; null when it was never scanned. */
    static @Nullable ScanCell of(Map<String, ScanOverview> overview) {
        ScanOverview found = overview.entrySet().stream().filter(e -> !e.getKey().contains("sbom"))
            .map(Map.Entry::getValue).findFirst().orElse(null);
        if (found == null) {
            return null;
        }
        return new ScanCell(found.status(), found.summary() == null ? null : SeverityBar.of(found.summary()),
            found.completePercent());
    }

    /** Whether the scan is pending or running, so it can be stopped. */
    public boolean live() {
        return status.equals("Pending") || status.equals("Running");
    }

    /** The class of the status's badge. */
    public String badge() {
        return switch (status) {
            case "Success" -> "public";
            case "Error" -> "failure";
            case "Pending", "Running" -> "admin";
            default -> "";
        };
    }
}
