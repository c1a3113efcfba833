package io.wharf.web.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The monitoring files the repository ships, read for tests: the alert rules
 * ({@code deploy/prometheus/rules/wharf.rules.yml} and the chart's copy), the Grafana dashboard
 * ({@code deploy/grafana/dashboards/wharf.json}), and the metric names their PromQL refers to.
 */
final class MonitoringFiles {

    static final String RULES = "deploy/prometheus/rules/wharf.rules.yml";
    static final String HELM_RULES = "helm/wharf/files/prometheus-rules/wharf.rules.yaml";
    static final String DASHBOARD = "deploy/grafana/dashboards/wharf.json";

    /** PromQL words that look like names but are none: aggregations, operators, modifiers. */
    private static final Set<String> KEYWORDS = Set.of("sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk",
        "bottomk", "quantile", "count_values", "group", "by", "without", "on", "ignoring", "group_left", "group_right",
        "and", "or", "unless", "bool", "offset", "inf", "nan");
    /** Label lists of {@code by}, {@code without}, {@code on}, {@code ignoring} and {@code group_*}. */
    private static final Pattern LABEL_LIST = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private MonitoringFiles() {
    }

    /** Every rule of the rules file: alert name to its expression, in file order. */
    static Map<String, Map<String, Object>> alerts(String text) {
        Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
        List<Map<String, Object>> groups = RepositoryFiles.at(RepositoryFiles.yaml(text), "groups");
        for (Map<String, Object> group : groups) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
            rules.forEach(rule -> alerts.put(String.valueOf(rule.get("alert")), rule));
        }
        return alerts;
    }

    /** Every PromQL expression of the dashboard's panels, with the panel's title. */
    static List<Map.Entry<String, String>> dashboardQueries(String json) {
        List<Map.Entry<String, String>> queries = new ArrayList<>();
        JsonNode dashboard = JsonMapper.builder().build().readTree(json);
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(Map.entry(panel.path("title").asString(), target.path("expr").asString()));
            }
        }
        return queries;
    }

    /**
     * The metric names a PromQL expression selects: identifiers that are no function call, keyword,
     * label name or label value. Good enough for the expressions written here (no {@code __name__}
     * matchers, no subqueries with odd spacing).
     */
    static Set<String> metricNames(String expr) {
        String rest = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")   // string literals (label values)
            .replaceAll("\\{[^}]*}", " ")                                      // label matchers
            .replaceAll("\\[[^\\]]*]", " ");                                   // range selectors ([5m], [$__rate_interval])
        rest = LABEL_LIST.matcher(rest).replaceAll(" ");
        rest = rest.replaceAll("\\$\\w+", " ");                               // Grafana variables
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            String word = m.group();
            int after = m.end();
            while (after < rest.length() && Character.isWhitespace(rest.charAt(after))) {
                after++;
            }
            boolean call = after < rest.length() && rest.charAt(after) == '(';
            boolean number = m.start() > 0 && (Character.isDigit(rest.charAt(m.start() - 1)) || rest.charAt(m.start() - 1) == '.');
            if (!call && !number && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }
}
