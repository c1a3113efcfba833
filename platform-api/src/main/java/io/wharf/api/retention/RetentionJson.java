package io.wharf.api.retention;

import io.wharf.api.iam.ApiPage;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.tagrule.ImmutableTagRule;
import io.wharf.core.tagrule.ImmutableTagRuleSpec;
import io.wharf.core.tagrule.Selector;
import io.wharf.retention.execution.RetentionExecution;
import io.wharf.retention.execution.RetentionTask;
import io.wharf.retention.policy.PolicySpec;
import io.wharf.retention.policy.RetentionPolicy;
import io.wharf.retention.policy.RetentionPolicyService;
import io.wharf.retention.policy.RetentionRule;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Harbor's JSON of immutable tag rules ({@code ImmutableRule}), retention policies ({@code RetentionPolicy},
 * {@code RetentionRule}, {@code RetentionSelector}), executions and tasks. A rule has exactly one tag
 * selector and one repository selector, as Harbor's console makes them; more, or none, is a 400.
 */
final class RetentionJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RetentionJson() {
    }

    record SelectorRequest(@Nullable String kind, @Nullable String decoration, @Nullable String pattern, @Nullable Object extras) {

        /** Harbor sends {@code extras} as a JSON text ({@code "{\"untagged\":true}"}); an object is taken too. */
        boolean untagged() {
            Object value = extras;
            if (value instanceof String text && !text.isBlank()) {
                try {
                    value = JSON.readValue(text, Map.class);
                } catch (RuntimeException e) {
                    throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "tag selector extras must be a JSON object: " + text);
                }
            }
            return value instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("untagged"));
        }
    }

    record ScopeSelectors(@Nullable List<SelectorRequest> repository) {
    }

    record RuleRequest(@Nullable Boolean disabled, @Nullable Integer priority, @Nullable String action, @Nullable String template,
                       @Nullable Map<String, Object> params, @Nullable List<SelectorRequest> tag_selectors,
                       @Nullable ScopeSelectors scope_selectors) {

        SelectorRequest tagSelector() {
            return one(tag_selectors, "tag_selectors");
        }

        Selector tags() {
            SelectorRequest s = tagSelector();
            return Selector.tag(s.kind(), s.decoration(), s.pattern());
        }

        Selector repositories() {
            SelectorRequest s = one(scope_selectors == null ? null : scope_selectors.repository(), "scope_selectors.repository");
            return Selector.repository(s.kind(), s.decoration(), s.pattern());
        }

        ImmutableTagRuleSpec immutableSpec() {
            if (action != null && !"immutable".equals(action)) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "the action of an immutable tag rule is immutable, not " + action);
            }
            if (template != null && !"immutable_template".equals(template)) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT,
                    "the template of an immutable tag rule is immutable_template, not " + template);
            }
            return new ImmutableTagRuleSpec(priority == null ? 0 : priority, Boolean.TRUE.equals(disabled), tags(), repositories());
        }

        RetentionRule retentionRule() {
            if (action != null && !"retain".equals(action)) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "the action of a retention rule is retain, not " + action);
            }
            return RetentionPolicyService.rule(Boolean.TRUE.equals(disabled), template, params == null ? Map.of() : params, tags(),
                tagSelector().untagged(), repositories());
        }
    }

    record Trigger(@Nullable String kind, @Nullable Map<String, Object> settings) {
    }

    record Scope(@Nullable String level, @Nullable Object ref) {
    }

    record PolicyRequest(@Nullable String algorithm, @Nullable List<RuleRequest> rules, @Nullable Trigger trigger,
                         @Nullable Scope scope) {

        PolicySpec spec() {
            if (algorithm != null && !"or".equals(algorithm)) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "the algorithm of a retention policy is or, not " + algorithm);
            }
            if (scope == null || !"project".equals(scope.level()) || scope.ref() == null) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "scope must be {\"level\":\"project\",\"ref\":<project id>}");
            }
            String cron = null;
            if (trigger != null && trigger.kind() != null) {
                if (!"Schedule".equals(trigger.kind())) {
                    throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "the trigger kind of a retention policy is Schedule, not "
                        + trigger.kind());
                }
                Object value = trigger.settings() == null ? null : trigger.settings().get("cron");
                cron = value == null ? null : String.valueOf(value);
            }
            List<RetentionRule> parsed = rules == null ? List.of() : rules.stream().map(RuleRequest::retentionRule).toList();
            return new PolicySpec(String.valueOf(scope.ref()), parsed, cron);
        }
    }

    record ExecutionRequest(@Nullable Boolean dry_run) {
    }

    record ExecutionPatch(@Nullable String action) {
    }

    private static SelectorRequest one(@Nullable List<SelectorRequest> selectors, String field) {
        if (selectors == null || selectors.size() != 1 || selectors.get(0) == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, field + " must hold exactly one selector");
        }
        return selectors.get(0);
    }

    static Map<String, Object> immutableRule(ImmutableTagRule rule) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", rule.id());
        json.put("project_id", rule.projectId());
        json.put("disabled", rule.disabled());
        json.put("priority", rule.priority());
        json.put("action", "immutable");
        json.put("template", "immutable_template");
        json.put("params", Map.of());
        json.put("tag_selectors", List.of(selector(rule.tags(), null)));
        json.put("scope_selectors", Map.of("repository", List.of(selector(rule.repositories(), null))));
        return json;
    }

    static Map<String, Object> policy(RetentionPolicy policy) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", policy.id());
        json.put("algorithm", "or");
        json.put("rules", policy.rules().stream().map(RetentionJson::rule).toList());
        Map<String, Object> trigger = new LinkedHashMap<>();
        trigger.put("kind", "Schedule");
        trigger.put("settings", Map.of("cron", policy.cron() == null ? "" : policy.cron()));
        trigger.put("references", Map.of());
        json.put("trigger", trigger);
        json.put("scope", Map.of("level", "project", "ref", policy.projectId()));
        return json;
    }

    private static Map<String, Object> rule(RetentionRule rule) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("disabled", rule.disabled());
        json.put("action", "retain");
        json.put("template", rule.template().harborName());
        json.put("params", rule.param() == null ? Map.of() : Map.of(rule.template().harborName(), rule.param()));
        json.put("tag_selectors", List.of(selector(rule.tags(), "{\"untagged\":" + rule.untagged() + "}")));
        json.put("scope_selectors", Map.of("repository", List.of(selector(rule.repositories(), null))));
        return json;
    }

    private static Map<String, Object> selector(Selector selector, @Nullable String extras) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", Selector.KIND);
        json.put("decoration", selector.decoration());
        json.put("pattern", selector.pattern());
        if (extras != null) {
            json.put("extras", extras);
        }
        return json;
    }

    static Map<String, Object> execution(RetentionExecution e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", e.id());
        json.put("policy_id", e.policyId());
        json.put("start_time", ApiPage.time(e.startTime()));
        json.put("end_time", e.endTime() == null ? null : ApiPage.time(e.endTime()));
        json.put("status", e.status());
        json.put("trigger", e.trigger());
        json.put("dry_run", e.dryRun());
        return json;
    }

    static Map<String, Object> task(RetentionTask t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", t.id());
        json.put("execution_id", t.executionId());
        json.put("repository", t.repository());
        json.put("job_id", "");
        json.put("status", t.status());
        json.put("status_code", 0);
        json.put("start_time", ApiPage.time(t.startTime()));
        json.put("end_time", t.endTime() == null ? null : ApiPage.time(t.endTime()));
        json.put("total", t.total());
        json.put("retained", t.retained());
        return json;
    }
}
