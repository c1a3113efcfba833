package io.wharf.web.console.replication;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.replication.endpoint.RegistryEndpoint;
import io.wharf.replication.endpoint.RegistryEndpointService;
import io.wharf.replication.execution.ExecutionService;
import io.wharf.replication.execution.ReplicationExecution;
import io.wharf.replication.policy.ReplicationPolicy;
import io.wharf.replication.policy.ReplicationPolicyService;
import io.wharf.web.console.Confirmation;
import io.wharf.web.console.Flash;
import io.wharf.web.console.Paging;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replication policies and their executions ({@code /admin/replication}): the policy list with each
 * one's last run, create and edit (one form), run now, enable or disable, delete (confirmed); an
 * execution's progress (the page refreshes itself while it runs), stop, its tasks and their logs.
 */
@Controller
class ReplicationConsoleController {

    static final String POLICIES = "/admin/replication";
    private static final String EXECUTIONS = POLICIES + "/executions";

    private final ReplicationPolicyService policies;
    private final RegistryEndpointService endpoints;
    private final ExecutionService executions;

    ReplicationConsoleController(ReplicationPolicyService policies, RegistryEndpointService endpoints,
                                 ExecutionService executions) {
        this.policies = policies;
        this.endpoints = endpoints;
        this.executions = executions;
    }

    @InitBinder("form")
    void fields(WebDataBinder binder) {
        binder.initDirectFieldAccess();
    }

    /** A policy with its remote endpoint's name and its last execution, if any. */
    record PolicyRow(ReplicationPolicy policy, String remote, @Nullable ReplicationExecution last) {
    }

    @GetMapping(POLICIES)
    String list(@AuthenticationPrincipal Caller caller, @RequestParam(defaultValue = "1") int page, Model model) {
        Map<Long, String> names = registryNames(caller);
        model.addAttribute("page", policies.list(caller, null, "name", Paging.page(page)).map(p -> new PolicyRow(p,
            names.getOrDefault(p.remoteId(), "?"),
            executions.list(caller, p.id(), null, null, PageRequest.of(0, 1)).stream().findFirst().orElse(null))));
        model.addAttribute("recent", executions.list(caller, null, null, null, PageRequest.of(0, 10)).getContent());
        model.addAttribute("policyNames", policyNames(caller));
        return "replication/policies";
    }

    @GetMapping(POLICIES + "/new")
    String newPolicy(@AuthenticationPrincipal Caller caller, Model model) {
        return form(caller, model, new PolicyForm(), null);
    }

    @PostMapping(POLICIES + "/new")
    String create(@AuthenticationPrincipal Caller caller, @ModelAttribute("form") PolicyForm form, Model model,
                  RedirectAttributes flash) {
        try {
            ReplicationPolicy created = policies.create(caller, form.spec());
            return Flash.notice(flash, "Policy " + created.spec().name() + " created.", POLICIES);
        } catch (PlatformException e) {
            return invalid(caller, model, form, null, e);
        }
    }

    @GetMapping(POLICIES + "/policies/{id}")
    String edit(@AuthenticationPrincipal Caller caller, @PathVariable long id, Model model) {
        return form(caller, model, PolicyForm.of(policies.get(caller, id)), id);
    }

    @PostMapping(POLICIES + "/policies/{id}")
    String update(@AuthenticationPrincipal Caller caller, @PathVariable long id, @ModelAttribute("form") PolicyForm form,
                  Model model, RedirectAttributes flash) {
        try {
            ReplicationPolicy updated = policies.update(caller, id, form.spec());
            return Flash.notice(flash, "Policy " + updated.spec().name() + " saved.", POLICIES);
        } catch (PlatformException e) {
            return invalid(caller, model, form, id, e);
        }
    }

    /** A refused form is shown again as it was filled in, with the reason, rather than lost in a redirect. */
    private String invalid(Caller caller, Model model, PolicyForm form, @Nullable Long id, PlatformException e) {
        if (e.code() == ErrorCode.DENIED || e.code() == ErrorCode.UNAUTHORIZED) {
            throw e;
        }
        model.addAttribute(Flash.ALERT, e.detail() == null ? e.code().message() : String.valueOf(e.detail()));
        return form(caller, model, form, id);
    }

    @PostMapping(POLICIES + "/policies/{id}/run")
    String run(@AuthenticationPrincipal Caller caller, @PathVariable long id, RedirectAttributes flash) {
        ReplicationExecution execution = executions.start(caller, id);
        return Flash.notice(flash, "Execution " + execution.id() + " started.", EXECUTIONS + "/" + execution.id());
    }

    @PostMapping(POLICIES + "/policies/{id}/enabled")
    String enable(@AuthenticationPrincipal Caller caller, @PathVariable long id, @RequestParam boolean enabled,
                  RedirectAttributes flash) {
        ReplicationPolicy policy = policies.get(caller, id);
        PolicyForm form = PolicyForm.of(policy);
        form.enabled = enabled;
        policies.update(caller, id, form.spec());
        return Flash.notice(flash, "Policy " + policy.spec().name() + (enabled ? " enabled." : " disabled."), POLICIES);
    }

    @GetMapping(POLICIES + "/policies/{id}/delete")
    String confirmDelete(@AuthenticationPrincipal Caller caller, @PathVariable long id, Model model) {
        ReplicationPolicy policy = policies.get(caller, id);
        return new Confirmation("Delete policy " + policy.spec().name(),
            "The policy and the history of its executions are deleted; what it copied stays.",
            POLICIES + "/policies/" + id + "/delete", "Delete policy", POLICIES).show(model);
    }

    @PostMapping(POLICIES + "/policies/{id}/delete")
    String delete(@AuthenticationPrincipal Caller caller, @PathVariable long id, RedirectAttributes flash) {
        ReplicationPolicy policy = policies.get(caller, id);
        policies.delete(caller, id);
        return Flash.notice(flash, "Policy " + policy.spec().name() + " deleted.", POLICIES);
    }

    @GetMapping(EXECUTIONS + "/{id}")
    String execution(@AuthenticationPrincipal Caller caller, @PathVariable long id, @RequestParam(defaultValue = "1") int page,
                     @RequestParam(required = false) @Nullable String status, Model model) {
        ReplicationExecution execution = executions.get(caller, id);
        model.addAttribute("execution", execution);
        model.addAttribute("policy", policies.get(caller, execution.policyId()));
        model.addAttribute("status", status);
        model.addAttribute("tasks", executions.tasks(caller, id, status == null || status.isBlank() ? null : status,
            Paging.page(page, 50)));
        return "replication/execution";
    }

    @PostMapping(EXECUTIONS + "/{id}/stop")
    String stop(@AuthenticationPrincipal Caller caller, @PathVariable long id, RedirectAttributes flash) {
        executions.stop(caller, id);
        return Flash.notice(flash, "Execution " + id + " is stopping.", EXECUTIONS + "/" + id);
    }

    @PostMapping(EXECUTIONS + "/{id}/retry")
    String retry(@AuthenticationPrincipal Caller caller, @PathVariable long id, RedirectAttributes flash) {
        executions.retry(caller, id);
        return Flash.notice(flash, "Execution " + id + " runs its failed tasks again.", EXECUTIONS + "/" + id);
    }

    @GetMapping(EXECUTIONS + "/{id}/tasks/{taskId}")
    String log(@AuthenticationPrincipal Caller caller, @PathVariable long id, @PathVariable long taskId, Model model) {
        model.addAttribute("execution", executions.get(caller, id));
        model.addAttribute("taskId", taskId);
        model.addAttribute("log", executions.log(caller, id, taskId));
        return "replication/task-log";
    }

    private String form(Caller caller, Model model, PolicyForm form, @Nullable Long id) {
        model.addAttribute("form", form);
        model.addAttribute("policyId", id);
        model.addAttribute("registries", endpoints.list(caller, null, "name", PageRequest.of(0, 100)).getContent());
        return "replication/policy";
    }

    private Map<Long, String> registryNames(Caller caller) {
        Map<Long, String> names = new LinkedHashMap<>();
        List<RegistryEndpoint> all = endpoints.list(caller, null, "name", PageRequest.of(0, 100)).getContent();
        all.forEach(e -> names.put(e.id(), e.name()));
        return names;
    }

    private Map<Long, String> policyNames(Caller caller) {
        Map<Long, String> names = new LinkedHashMap<>();
        policies.list(caller, null, "name", PageRequest.of(0, 100)).forEach(p -> names.put(p.id(), p.spec().name()));
        return names;
    }
}
