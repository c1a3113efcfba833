package io.wharf.web.console.webhook;

import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.Role;
import io.wharf.web.console.Confirmation;
import io.wharf.web.console.Flash;
import io.wharf.webhook.delivery.DeliveryLog;
import io.wharf.webhook.delivery.WebhookTester;
import io.wharf.webhook.policy.EventType;
import io.wharf.webhook.policy.PayloadFormat;
import io.wharf.webhook.policy.PolicySpec;
import io.wharf.webhook.policy.TargetSpec;
import io.wharf.webhook.policy.WebhookPolicy;
import io.wharf.webhook.policy.WebhookPolicyService;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

import java.nio.charset.StandardCharsets;

import java.util.Arrays;
import java.util.List;

/**
 * A project's webhooks ({@code /projects/{name}/webhooks}): its policies and the latest deliveries for
 * project administrators and maintainers; project administrators add a policy (one http target),
 * send a test event to an address, and delete a policy. The webhook services decide who may do what.
 */
@Controller
class WebhookConsoleController {

    private static final int RECENT = 20;

    private final WebhookPolicyService policies;
    private final DeliveryLog deliveries;
    private final WebhookTester tester;
    private final AccessPolicy access;

    WebhookConsoleController(WebhookPolicyService policies, DeliveryLog deliveries, WebhookTester tester, AccessPolicy access) {
        this.policies = policies;
        this.deliveries = deliveries;
        this.tester = tester;
        this.access = access;
    }

    @GetMapping("/projects/{name}/webhooks")
    String list(@AuthenticationPrincipal Caller caller, @PathVariable String name, Model model) {
        Project project = policies.readable(caller, name);
        model.addAttribute("project", project);
        model.addAttribute("policies", policies.list(caller, name));
        model.addAttribute("deliveries", deliveries.recent(caller, name, RECENT));
        model.addAttribute("manage", access.can(caller.principal(), project, Role.Capability.MANAGE));
        model.addAttribute("eventTypes", Arrays.stream(EventType.values()).map(Enum::name).toList());
        model.addAttribute("formats", Arrays.stream(PayloadFormat.values()).map(PayloadFormat::harborName).toList());
        return "webhooks/list";
    }

    @PostMapping("/projects/{name}/webhooks")
    String create(@AuthenticationPrincipal Caller caller, @PathVariable String name, @RequestParam String policy,
                  @RequestParam String address, @RequestParam(name = "auth_header", defaultValue = "") String authHeader,
                  @RequestParam(name = "payload_format", defaultValue = "Default") String format,
                  @RequestParam(name = "skip_cert_verify", defaultValue = "false") boolean skipCertVerify,
                  @RequestParam(name = "event_types", required = false) @Nullable List<String> eventTypes,
                  RedirectAttributes flash) {
        WebhookPolicy created = policies.create(caller, name, new PolicySpec(policy, null,
            List.of(new TargetSpec("http", address, authHeader, skipCertVerify, format)),
            eventTypes == null ? List.of() : eventTypes, true));
        return Flash.notice(flash, "Webhook " + created.name() + " created.", path(name));
    }

    @PostMapping("/projects/{name}/webhooks/test")
    String test(@AuthenticationPrincipal Caller caller, @PathVariable String name, @RequestParam String address,
                @RequestParam(name = "auth_header", defaultValue = "") String authHeader,
                @RequestParam(name = "payload_format", defaultValue = "Default") String format,
                @RequestParam(name = "skip_cert_verify", defaultValue = "false") boolean skipCertVerify,
                RedirectAttributes flash) {
        tester.test(caller, name, List.of(new TargetSpec("http", address, authHeader, skipCertVerify, format)));
        return Flash.notice(flash, address + " accepted the test event.", path(name));
    }

    @GetMapping("/projects/{name}/webhooks/{id}/delete")
    String confirmDelete(@AuthenticationPrincipal Caller caller, @PathVariable String name, @PathVariable long id, Model model) {
        WebhookPolicy policy = policies.get(caller, name, id);
        return new Confirmation("Delete webhook " + policy.name(), "Its receivers will hear of no further events, and its "
            + "delivery log goes with it.", path(name) + "/" + id + "/delete", "Delete webhook", path(name)).show(model);
    }

    @PostMapping("/projects/{name}/webhooks/{id}/delete")
    String delete(@AuthenticationPrincipal Caller caller, @PathVariable String name, @PathVariable long id, RedirectAttributes flash) {
        WebhookPolicy policy = policies.get(caller, name, id);
        policies.delete(caller, name, id);
        return Flash.notice(flash, "Webhook " + policy.name() + " deleted.", path(name));
    }

    static String path(String project) {
        return "/projects/" + UriUtils.encodePathSegment(project, StandardCharsets.UTF_8) + "/webhooks";
    }
}
