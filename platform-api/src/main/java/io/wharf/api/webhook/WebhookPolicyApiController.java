package io.wharf.api.webhook;

import io.wharf.api.iam.ApiPage;
import io.wharf.core.iam.Caller;
import io.wharf.webhook.delivery.DeliveryLog;
import io.wharf.webhook.delivery.WebhookExecution;
import io.wharf.webhook.delivery.WebhookTester;
import io.wharf.webhook.policy.EventType;
import io.wharf.webhook.policy.PayloadFormat;
import io.wharf.webhook.policy.WebhookPolicy;
import io.wharf.webhook.policy.WebhookPolicyService;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2.0/projects/{p}/webhook/...} as Harbor's: policies (project administrators manage,
 * maintainers read), their executions, tasks and task logs (the delivery log), the test delivery and
 * the supported event types.
 */
@RestController
class WebhookPolicyApiController {

    private static final String POLICIES = "/api/v2.0/projects/{project}/webhook/policies";

    private final WebhookPolicyService policies;
    private final DeliveryLog deliveries;
    private final WebhookTester tester;

    WebhookPolicyApiController(WebhookPolicyService policies, DeliveryLog deliveries, WebhookTester tester) {
        this.policies = policies;
        this.deliveries = deliveries;
        this.tester = tester;
    }

    @GetMapping(POLICIES)
    ResponseEntity<List<Map<String, Object>>> list(@AuthenticationPrincipal Caller caller, @PathVariable String project) {
        List<WebhookPolicy> all = policies.list(caller, project);
        return ResponseEntity.ok().header("X-Total-Count", String.valueOf(all.size()))
            .body(all.stream().map(WebhookJson::policy).toList());
    }

    @PostMapping(POLICIES)
    ResponseEntity<Void> create(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                                @RequestBody WebhookJson.PolicyRequest body) {
        WebhookPolicy created = policies.create(caller, project, body.spec());
        return ResponseEntity.created(URI.create("/api/v2.0/projects/" + project + "/webhook/policies/" + created.id())).build();
    }

    @GetMapping(POLICIES + "/{id}")
    Map<String, Object> get(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable long id) {
        return WebhookJson.policy(policies.get(caller, project, id));
    }

    @PutMapping(POLICIES + "/{id}")
    ResponseEntity<Void> update(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable long id,
                                @RequestBody WebhookJson.PolicyRequest body) {
        policies.update(caller, project, id, body.spec());
        return ResponseEntity.ok().build();
    }

    @DeleteMapping(POLICIES + "/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable long id) {
        policies.delete(caller, project, id);
        return ResponseEntity.ok().build();
    }

    /** Sends a test event to the targets of the policy in the body now; 200 when each answered 2xx, else 400 naming them. */
    @PostMapping(POLICIES + "/test")
    ResponseEntity<Void> test(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                              @RequestBody WebhookJson.PolicyRequest body) {
        tester.test(caller, project, body.targetSpecs());
        return ResponseEntity.ok().build();
    }

    @GetMapping(POLICIES + "/{id}/executions")
    ResponseEntity<List<Map<String, Object>>> executions(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                                                         @PathVariable long id,
                                                         @RequestParam(required = false) @Nullable Integer page,
                                                         @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                         HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        Page<WebhookExecution> result = deliveries.executions(caller, project, id, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, result))
            .body(result.map(WebhookJson::execution).getContent());
    }

    @GetMapping(POLICIES + "/{id}/executions/{execution}/tasks")
    List<Map<String, Object>> tasks(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable long id,
                                    @PathVariable long execution) {
        return deliveries.tasks(caller, project, id, execution).stream().map(WebhookJson::task).toList();
    }

    @GetMapping(value = POLICIES + "/{id}/executions/{execution}/tasks/{task}/log", produces = MediaType.TEXT_PLAIN_VALUE)
    String log(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable long id,
               @PathVariable long execution, @PathVariable long task) {
        return deliveries.log(caller, project, id, execution, task);
    }

    /** Harbor's SupportedWebhookEventTypes. */
    @GetMapping("/api/v2.0/projects/{project}/webhook/events")
    Map<String, Object> events(@AuthenticationPrincipal Caller caller, @PathVariable String project) {
        policies.readable(caller, project);
        return Map.of(
            "event_type", Arrays.stream(EventType.values()).map(Enum::name).toList(),
            "notify_type", List.of("http"),
            "payload_formats", List.of(Map.of("notify_type", "http",
                "formats", Arrays.stream(PayloadFormat.values()).map(PayloadFormat::harborName).toList())));
    }
}
