package io.wharf.webhook.delivery;

import io.wharf.webhook.policy.PayloadFormat;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The bodies receivers get. {@code Default} is Harbor's JSON:
 * <pre>
 * {"type":"PUSH_ARTIFACT","occur_at":1700000000,"operator":"alice",
 *  "event_data":{"resources":[{"digest","tag","resource_url"}],
 *                "repository":{"date_created","name","namespace","repo_full_name","repo_type"}}}
 * </pre>
 * {@code CloudEvents} is a CloudEvents 1.0 event in structured mode ({@code application/cloudevents+json}),
 * as Harbor 2.10+ sends it: {@code specversion}, a fresh {@code id}, {@code source}
 * ({@code /projects/<id>/webhook/policies/<id>}), {@code type} ({@code harbor.artifact.pushed}...),
 * {@code datacontenttype}, {@code time}, the {@code operator} extension and Harbor's {@code event_data}
 * as {@code data}.
 */
@Component
class Payloads {

    /** A body and its content type. */
    record Body(String contentType, String json) {
    }

    private final JsonMapper json;

    Payloads(JsonMapper json) {
        this.json = json;
    }

    Body render(PayloadFormat format, Notification notification, long policyId) {
        return switch (format) {
            case DEFAULT -> new Body("application/json", json.writeValueAsString(harbor(notification)));
            case CLOUD_EVENTS -> new Body("application/cloudevents+json", json.writeValueAsString(cloudEvent(notification, policyId)));
        };
    }

    private static Map<String, Object> harbor(Notification n) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", n.type().name());
        body.put("occur_at", n.occurredAt().getEpochSecond());
        body.put("operator", n.operator() == null ? "" : n.operator());
        body.put("event_data", n.eventData());
        return body;
    }

    private static Map<String, Object> cloudEvent(Notification n, long policyId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("specversion", "1.0");
        body.put("id", UUID.randomUUID().toString());
        body.put("source", "/projects/" + n.project().id() + "/webhook/policies/" + policyId);
        body.put("type", n.type().cloudEventType());
        body.put("datacontenttype", "application/json");
        body.put("time", Instant.ofEpochMilli(n.occurredAt().toEpochMilli()).toString());
        body.put("operator", n.operator() == null ? "" : n.operator());
        body.put("data", n.eventData());
        return body;
    }
}
