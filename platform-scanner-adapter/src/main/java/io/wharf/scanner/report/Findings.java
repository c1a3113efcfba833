package io.wharf.scanner.report;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A vulnerability report reduced to what the pull policy needs: each distinct vulnerability id with
 * the worst severity the report gives it (Harbor's severities, see {@link ReportSummary#SEVERITIES}).
 * Stored with the report as lines {@code "<id> <severity>"}.
 */
public record Findings(Map<String, String> severityById) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public Findings {
        severityById = Map.copyOf(severityById);
    }

    /** The findings of a report of the spec's vulnerability types; none when it is not JSON. */
    public static Findings of(String report) {
        JsonNode root;
        try {
            root = JSON.readTree(report);
        } catch (JacksonException e) {
            return new Findings(Map.of());
        }
        Map<String, String> worst = new LinkedHashMap<>();
        for (JsonNode vulnerability : root.path("vulnerabilities")) {
            String id = vulnerability.path("id").asString("").trim();
            if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
                continue;
            }
            worst.merge(id, ReportSummary.normalize(vulnerability.path("severity").asString("")), ReportSummary::worse);
        }
        return new Findings(worst);
    }

    /** The stored form. */
    public String encode() {
        StringBuilder text = new StringBuilder();
        severityById.forEach((id, severity) -> text.append(id).append(' ').append(severity).append('\n'));
        return text.toString();
    }

    /** Reads the stored form. */
    public static Findings decode(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                map.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        return new Findings(map);
    }

    /**
     * How many findings are at least as severe as {@code threshold} (compared without case), not
     * counting the ids in {@code allowlist}.
     */
    public int countAtLeast(String threshold, Set<String> allowlist) {
        int floor = rank(threshold);
        return (int) severityById.entrySet().stream()
            .filter(e -> !allowlist.contains(e.getKey()) && rank(e.getValue()) >= floor)
            .count();
    }

    /** A severity's place in {@link ReportSummary#SEVERITIES}, compared without case; unknown names rank as {@code Unknown}. */
    static int rank(String severity) {
        for (int i = 0; i < ReportSummary.SEVERITIES.size(); i++) {
            if (ReportSummary.SEVERITIES.get(i).equalsIgnoreCase(severity)) {
                return i;
            }
        }
        return 1;
    }
}
