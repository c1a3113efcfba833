package io.wharf.web.console.repository;

import io.wharf.scanner.report.ReportSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scan's findings as the console draws them: one coloured segment per severity found, from
 * Critical down to Unknown, each as wide as its share and labelled with its count, and the worst
 * severity.
 *
 * @param worst    the worst severity found, Harbor's name ({@code None} when nothing was found)
 * @param total    how many vulnerabilities the report lists
 * @param fixable  how many of them have a fixed version
 * @param segments the severities found, worst first
 */
public record SeverityBar(String worst, int total, int fixable, List<Segment> segments) {

    /**
     * One severity of the bar.
     *
     * @param severity Harbor's name, e.g. {@code High}
     * @param count    how many vulnerabilities have it
     * @param css      the class that colours it, e.g. {@code sev-high}
     */
    public record Segment(String severity, int count, String css) {
    }

    /** The bar of {@code summary}. */
    public static SeverityBar of(ReportSummary summary) {
        List<Segment> segments = new ArrayList<>();
        List<String> severities = ReportSummary.SEVERITIES;
        for (int i = severities.size() - 1; i > 0; i--) { // worst first, without None
            String severity = severities.get(i);
            int count = summary.bySeverity().getOrDefault(severity, 0);
            if (count > 0) {
                segments.add(new Segment(severity, count, css(severity)));
            }
        }
        return new SeverityBar(summary.severity(), summary.total(), summary.fixable(), List.copyOf(segments));
    }

    /** The class that colours {@code severity}: {@code sev-} and its name in lower case. */
    public static String css(String severity) {
        return "sev-" + severity.toLowerCase(Locale.ROOT);
    }

    /** The class that colours the worst severity. */
    public String worstCss() {
        return css(worst);
    }

    /** The bar in words, for screen readers and the tooltip: {@code 3 vulnerabilities: 1 High, 2 Low}. */
    public String description() {
        if (total == 0) {
            return "No vulnerabilities found";
        }
        StringBuilder text = new StringBuilder().append(total).append(total == 1 ? " vulnerability: " : " vulnerabilities: ");
        for (int i = 0; i < segments.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(segments.get(i).count()).append(' ').append(segments.get(i).severity());
        }
        return text.toString();
    }
}
