package io.wharf.scanner.report;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary of a vulnerability report, computed once when it is stored: the worst severity,
 * counts by severity (only those found), how many have a fixed version, and the total.
 *
 * @param severity Harbor's severity: {@code None}, {@code Unknown}, {@code Negligible}, {@code Low},
 *                 {@code Medium}, {@code High} or {@code Critical}
 */
public record ReportSummary(String severity, int total, int fixable, Map<String, Integer> bySeverity) {

    /** Harbor's severities from least to most severe; {@code None} means nothing was found. */
    public static final List<String> SEVERITIES = List.of("None", "Unknown", "Negligible", "Low", "Medium", "High", "Critical");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public ReportSummary {
        bySeverity = Map.copyOf(bySeverity);
    }

    /**
     * Summarises a report of the spec's vulnerability types (1.1 and 1.0 share {@code vulnerabilities}
     * with {@code severity} and {@code fix_version}).
     *
     * @throws IllegalArgumentException when {@code json} is not a JSON object
     */
    public static ReportSummary of(String json) {
        JsonNode report;
        try {
            report = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the report is not JSON");
        }
        if (!report.isObject()) {
            throw new IllegalArgumentException("the report is not a JSON object");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        String worst = "None";
        int total = 0;
        int fixable = 0;
        for (JsonNode vulnerability : report.path("vulnerabilities")) {
            String severity = normalize(vulnerability.path("severity").asString(""));
            counts.merge(severity, 1, Integer::sum);
            total++;
            if (!vulnerability.path("fix_version").asString("").isBlank()) {
                fixable++;
            }
            worst = worse(worst, severity);
        }
        return new ReportSummary(worst, total, fixable, counts);
    }

    /** The worse of two severities. */
    public static String worse(String a, String b) {
        return SEVERITIES.indexOf(b) > SEVERITIES.indexOf(a) ? b : a;
    }

    /** Sums summaries: worst severity, added counts (an index's children). */
    public static ReportSummary sum(List<ReportSummary> summaries) {
        String worst = "None";
        int total = 0;
        int fixable = 0;
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ReportSummary s : summaries) {
            worst = worse(worst, s.severity());
            total += s.total();
            fixable += s.fixable();
            s.bySeverity().forEach((k, v) -> counts.merge(k, v, Integer::sum));
        }
        return new ReportSummary(worst, total, fixable, counts);
    }

    static String normalize(String severity) {
        for (String known : SEVERITIES) {
            if (known.equalsIgnoreCase(severity.trim()) && !known.equals("None")) {
                return known;
            }
        }
        return severity.toLowerCase(Locale.ROOT).equals("none") ? "None" : "Unknown";
    }

    String countsJson() {
        return JSON.writeValueAsString(bySeverity);
    }

    static Map<String, Integer> countsOf(String json) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        JSON.readTree(json).properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }
}
