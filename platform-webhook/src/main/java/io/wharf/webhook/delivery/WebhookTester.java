package io.wharf.webhook.delivery;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.webhook.policy.PayloadFormat;
import io.wharf.webhook.policy.TargetSpec;
import io.wharf.webhook.policy.WebhookPolicyService;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The test delivery: a project administrator checks targets before (or after) saving a policy. Each
 * target gets one {@code PING} event at once, in its payload format, with its {@code Authorization}
 * value; nothing is queued or retried.
 */
@Service
public class WebhookTester {

    private final WebhookPolicyService policies;
    private final HttpSender sender;
    private final JsonMapper json;
    private final Clock clock;

    WebhookTester(WebhookPolicyService policies, HttpSender sender, JsonMapper json, Clock clock) {
        this.policies = policies;
        this.sender = sender;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Sends a {@code PING} to each of {@code targets} for {@code project}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a bad target, or naming each target that did
     *         not answer with a 2xx status; NOT_FOUND, DENIED as the policy use cases
     */
    public void test(Caller caller, String project, List<TargetSpec> targets) {
        List<String> failures = new ArrayList<>();
        Instant now = clock.instant();
        for (WebhookPolicyService.Receiver receiver : policies.receivers(caller, project, targets)) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("project", Map.of("name", project));
            Map<String, Object> body = new LinkedHashMap<>();
            String contentType;
            if (receiver.format() == PayloadFormat.CLOUD_EVENTS) {
                body.put("specversion", "1.0");
                body.put("id", UUID.randomUUID().toString());
                body.put("source", "/projects/" + project + "/webhook/policies/test");
                body.put("type", "io.wharf.webhook.ping");
                body.put("datacontenttype", "application/json");
                body.put("time", now.toString());
                body.put("operator", caller.name());
                body.put("data", data);
                contentType = "application/cloudevents+json";
            } else {
                body.put("type", "PING");
                body.put("occur_at", now.getEpochSecond());
                body.put("operator", caller.name());
                body.put("event_data", data);
                contentType = "application/json";
            }
            HttpSender.Outcome outcome = sender.send(receiver.address(), contentType, json.writeValueAsString(body),
                receiver.authHeader(), receiver.skipCertVerify());
            if (!outcome.delivered()) {
                failures.add(receiver.address() + ": " + outcome.describe());
            }
        }
        if (!failures.isEmpty()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "the test event was not accepted by " + String.join("; ", failures));
        }
    }
}
