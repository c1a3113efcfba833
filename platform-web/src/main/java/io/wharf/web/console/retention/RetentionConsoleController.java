package io.wharf.web.console.retention;

import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.tagrule.ImmutableTagRule;
import io.wharf.core.tagrule.ImmutableTagRuleService;
import io.wharf.core.tagrule.ImmutableTagRuleSpec;
import io.wharf.core.tagrule.Selector;
import io.wharf.retention.execution.RetentionExecutionService;
import io.wharf.retention.execution.RetentionExecution;
import io.wharf.retention.policy.PolicySpec;
import io.wharf.retention.policy.RetentionPolicy;
import io.wharf.retention.policy.RetentionPolicyService;
import io.wharf.retention.policy.RetentionRule;
import io.wharf.retention.policy.Template;
import io.wharf.web.console.Flash;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A project's tag rules in the console: {@code /projects/{name}/retention} (the policy's rules, add and
 * remove a rule, the schedule, run and dry run, the latest runs with their tasks and logs) and
 * {@code /projects/{name}/immutability} (list, add, delete rules). The services decide who may do what.
 */
@Controller
class RetentionConsoleController {

    private static final int RECENT = 10;

    private final RetentionPolicyService policies;
    private final RetentionExecutionService executions;
    private final ImmutableTagRuleService immutable;

    RetentionConsoleController(RetentionPolicyService policies, RetentionExecutionService executions, ImmutableTagRuleService immutable) {
        this.policies = policies;
        this.executions = executions;
        this.immutable = immutable;
    }

    /** A run with its tasks, for the history table. */
    record Run(RetentionExecution execution, List<io.wharf.retention.execution.RetentionTask> tasks) {
    }

    @GetMapping("/projects/{name}/retention")
    String retention(@AuthenticationPrincipal Caller caller, @PathVariable String name, Model model) {
        Project project = policies.permitted(caller, name);
        Optional<RetentionPolicy> policy = policies.ofProject(caller, name);
        List<Run> runs = new ArrayList<>();
        policy.ifPresent(p -> executions.list(caller, p.id(), PageRequest.of(0, RECENT)).forEach(e ->
            runs.add(new Run(e, executions.tasks(caller, p.id(), e.id())))));
        model.addAttribute("project", project);
        model.addAttribute("policy", policy.orElse(null));
        model.addAttribute("runs", runs);
        model.addAttribute("templates", Arrays.stream(Template.values()).map(Template::harborName).toList());
        return "retention/retention";
    }

    @PostMapping("/projects/{name}/retention/rules")
    String addRule(@AuthenticationPrincipal Caller caller, @PathVariable String name, @RequestParam String template,
                   @RequestParam(defaultValue = "") String param, @RequestParam(name = "tag_decoration") String tagDecoration,
                   @RequestParam(name = "tag_pattern") String tagPattern,
                   @RequestParam(defaultValue = "false") boolean untagged,
                   @RequestParam(name = "repository_decoration") String repositoryDecoration,
                   @RequestParam(name = "repository_pattern") String repositoryPattern, RedirectAttributes flash) {
        Map<String, Object> params = param.isBlank() ? Map.of() : Map.of(template, parse(param));
        RetentionRule rule = RetentionPolicyService.rule(false, template, params, Selector.tag(null, tagDecoration, tagPattern),
            untagged, Selector.repository(null, repositoryDecoration, repositoryPattern));
        Project project = policies.permitted(caller, name);
        Optional<RetentionPolicy> current = policies.ofProject(caller, name);
        List<RetentionRule> rules = new ArrayList<>(current.map(RetentionPolicy::rules).orElse(List.of()));
        rules.add(rule);
        save(caller, project, current, rules, current.map(RetentionPolicy::cron).orElse(null));
        return Flash.notice(flash, "Rule added: " + rule.describe() + ".", path(name));
    }

    @PostMapping("/projects/{name}/retention/rules/{index}/delete")
    String removeRule(@AuthenticationPrincipal Caller caller, @PathVariable String name, @PathVariable int index,
                      RedirectAttributes flash) {
        Project project = policies.permitted(caller, name);
        Optional<RetentionPolicy> current = policies.ofProject(caller, name);
        List<RetentionRule> rules = new ArrayList<>(current.map(RetentionPolicy::rules).orElse(List.of()));
        if (index >= 0 && index < rules.size()) {
            rules.remove(index);
            save(caller, project, current, rules, current.map(RetentionPolicy::cron).orElse(null));
        }
        return Flash.notice(flash, "Rule removed.", path(name));
    }

    @PostMapping("/projects/{name}/retention/schedule")
    String schedule(@AuthenticationPrincipal Caller caller, @PathVariable String name, @RequestParam(defaultValue = "") String cron,
                    RedirectAttributes flash) {
        Project project = policies.permitted(caller, name);
        Optional<RetentionPolicy> current = policies.ofProject(caller, name);
        save(caller, project, current, current.map(RetentionPolicy::rules).orElse(List.of()), cron);
        return Flash.notice(flash, cron.isBlank() ? "Runs manually only." : "Scheduled: " + cron + " (UTC).", path(name));
    }

    @PostMapping("/projects/{name}/retention/run")
    String run(@AuthenticationPrincipal Caller caller, @PathVariable String name,
               @RequestParam(name = "dry_run", defaultValue = "false") boolean dryRun, RedirectAttributes flash) {
        Optional<RetentionPolicy> policy = policies.ofProject(caller, name);
        if (policy.isEmpty()) {
            return Flash.alert(flash, "Add a rule first.", path(name));
        }
        RetentionExecution started = executions.start(caller, policy.get().id(), dryRun);
        return Flash.notice(flash, (dryRun ? "Dry run " : "Run ") + started.id() + " started.", path(name));
    }

    @GetMapping(value = "/projects/{name}/retention/executions/{execution}/tasks/{task}", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> log(@AuthenticationPrincipal Caller caller, @PathVariable String name, @PathVariable long execution,
                               @PathVariable long task) {
        RetentionPolicy policy = policies.ofProject(caller, name).orElseThrow(() ->
            new io.wharf.core.error.PlatformException(io.wharf.core.error.ErrorCode.NOT_FOUND, "no retention policy"));
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(executions.log(caller, policy.id(), execution, task));
    }

    @GetMapping("/projects/{name}/immutability")
    String immutability(@AuthenticationPrincipal Caller caller, @PathVariable String name, Model model) {
        model.addAttribute("project", immutable.manageable(caller, name));
        model.addAttribute("rules", immutable.list(caller, name));
        return "retention/immutability";
    }

    @PostMapping("/projects/{name}/immutability")
    String addImmutable(@AuthenticationPrincipal Caller caller, @PathVariable String name,
                        @RequestParam(name = "tag_decoration") String tagDecoration, @RequestParam(name = "tag_pattern") String tagPattern,
                        @RequestParam(name = "repository_decoration") String repositoryDecoration,
                        @RequestParam(name = "repository_pattern") String repositoryPattern,
                        @RequestParam(defaultValue = "false") boolean disabled, RedirectAttributes flash) {
        ImmutableTagRule created = immutable.create(caller, name, new ImmutableTagRuleSpec(0, disabled,
            Selector.tag(null, tagDecoration, tagPattern), Selector.repository(null, repositoryDecoration, repositoryPattern)));
        return Flash.notice(flash, "Added " + created.describe() + ".", "/projects/" + encode(name) + "/immutability");
    }

    @PostMapping("/projects/{name}/immutability/{id}/delete")
    String deleteImmutable(@AuthenticationPrincipal Caller caller, @PathVariable String name, @PathVariable long id,
                           RedirectAttributes flash) {
        immutable.delete(caller, name, id);
        return Flash.notice(flash, "Immutable tag rule " + id + " deleted.", "/projects/" + encode(name) + "/immutability");
    }

    private void save(Caller caller, Project project, Optional<RetentionPolicy> current, List<RetentionRule> rules,
                      @Nullable String cron) {
        PolicySpec spec = new PolicySpec(String.valueOf(project.id()), rules, cron);
        if (current.isPresent()) {
            policies.update(caller, current.get().id(), spec);
        } else {
            policies.create(caller, spec);
        }
    }

    private static Object parse(String param) {
        try {
            return Long.parseLong(param.trim());
        } catch (NumberFormatException e) {
            return param; // refused by the rule's check with Harbor's words
        }
    }

    private static String path(String project) {
        return "/projects/" + encode(project) + "/retention";
    }

    private static String encode(String project) {
        return UriUtils.encodePathSegment(project, StandardCharsets.UTF_8);
    }
}
