package io.wharf.api.webhook;

import io.wharf.api.iam.ApiPage;
import io.wharf.webhook.delivery.WebhookExecution;
import io.wharf.webhook.delivery.WebhookTask;
import io.wharf.webhook.policy.PolicySpec;
import io.wharf.webhook.policy.TargetSpec;
import io.wharf.webhook.policy.WebhookPolicy;
import io.wharf.webhook.policy.WebhookTarget;
import org.jspecify.annotations.Nullable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Harbor's webhook JSON: WebhookPolicy, WebhookTargetObject, Execution and Task. */
final class WebhookJson {

    private WebhookJson() {
    }

    record TargetRequest(@Nullable String type, @Nullable String address, @Nullable String auth_header,
                         @Nullable Boolean skip_cert_verify, @Nullable String payload_format) {

        TargetSpec spec() {
            return new TargetSpec(type, address, auth_header, Boolean.TRUE.equals(skip_cert_verify), payload_format);
        }
    }

    record PolicyRequest(@Nullable String name, @Nullable String description, @Nullable List<TargetRequest> targets,
                         @Nullable List<String> event_types, @Nullable Boolean enabled) {

        PolicySpec spec() {
            return new PolicySpec(name, description, targetSpecs(), event_types == null ? List.of() : event_types,
                enabled == null || enabled);
        }

        List<TargetSpec> targetSpecs() {
            return targets == null ? List.of() : targets.stream().map(TargetRequest::spec).toList();
        }
    }

    static Map<String, Object> policy(WebhookPolicy p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", p.id());
        json.put("name", p.name());
        json.put("description", p.description() == null ? "" : p.description());
        json.put("project_id", p.projectId());
        json.put("targets", p.targets().stream().map(WebhookJson::target).toList());
        json.put("event_types", p.eventTypes().stream().map(Enum::name).toList());
        json.put("creator", p.creator() == null ? "" : p.creator());
        json.put("creation_time", ApiPage.time(p.createdAt()));
        json.put("update_time", ApiPage.time(p.updatedAt()));
        json.put("enabled", p.enabled());
        return json;
    }

    private static Map<String, Object> target(WebhookTarget t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", t.type());
        json.put("address", t.address());
        json.put("auth_header", t.authHeader());
        json.put("skip_cert_verify", t.skipCertVerify());
        json.put("payload_format", t.payloadFormat().harborName());
        return json;
    }

    static Map<String, Object> execution(WebhookExecution e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", e.id());
        json.put("vendor_type", "WEBHOOK");
        json.put("vendor_id", e.policyId());
        json.put("status", e.status());
        json.put("status_message", "");
        json.put("trigger", "EVENT");
        json.put("extra_attrs", Map.of("event_type", e.eventType()));
        json.put("start_time", ApiPage.time(e.startTime()));
        json.put("end_time", e.endTime() == null ? "" : ApiPage.time(e.endTime()));
        return json;
    }

    static Map<String, Object> task(WebhookTask t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", t.id());
        json.put("execution_id", t.executionId());
        json.put("status", t.status());
        json.put("status_message", t.statusMessage() == null ? "" : t.statusMessage());
        json.put("run_count", t.runCount());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("event_type", t.eventType());
        extra.put("address", t.address());
        extra.put("payload_format", t.payloadFormat());
        json.put("extra_attrs", extra);
        json.put("creation_time", ApiPage.time(t.creationTime()));
        json.put("start_time", ApiPage.time(t.creationTime()));
        json.put("update_time", ApiPage.time(t.updateTime()));
        json.put("end_time", t.endTime() == null ? "" : ApiPage.time(t.endTime()));
        return json;
    }
}
