package io.wharf.api.retention;

import io.wharf.api.iam.ApiPage;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.tagrule.Selector;
import io.wharf.retention.execution.RetentionExecutionService;
import io.wharf.retention.execution.RetentionExecution;
import io.wharf.retention.policy.RetentionPolicy;
import io.wharf.retention.policy.RetentionPolicyService;
import io.wharf.retention.policy.Template;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2.0/retentions} as Harbor's: the metadata of templates and selectors, a project's policy
 * (create, read, replace, delete), its runs (start real or dry, list, stop), their tasks and task logs.
 * Project administrators, maintainers and developers (and system administrators), as in Harbor.
 */
@RestController
class RetentionApiController {

    private static final String RETENTIONS = "/api/v2.0/retentions";

    private final RetentionPolicyService policies;
    private final RetentionExecutionService executions;
    private final AccessPolicy access;

    RetentionApiController(RetentionPolicyService policies, RetentionExecutionService executions, AccessPolicy access) {
        this.policies = policies;
        this.executions = executions;
        this.access = access;
    }

    /** Harbor's {@code RetentionMetadata}: the templates Wharf runs and the selectors it takes; for any logged-in caller. */
    @GetMapping(RETENTIONS + "/metadatas")
    Map<String, Object> metadatas(@AuthenticationPrincipal Caller caller) {
        access.requireAuthenticated(caller);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("templates", Arrays.stream(Template.values()).map(RetentionApiController::template).toList());
        json.put("scope_selectors", List.of(Map.of("display_text", "Repositories", "kind", Selector.KIND,
            "decorations", List.of("repoMatches", "repoExcludes"))));
        json.put("tag_selectors", List.of(Map.of("display_text", "Tags", "kind", Selector.KIND,
            "decorations", List.of("matches", "excludes"))));
        return json;
    }

    private static Map<String, Object> template(Template t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rule_template", t.harborName());
        json.put("display_text", t.displayText());
        json.put("action", "retain");
        json.put("params", t.unit() == null ? List.of() : List.of(Map.of("type", "int", "unit", t.unit(), "required", true)));
        return json;
    }

    @PostMapping(RETENTIONS)
    ResponseEntity<Void> create(@AuthenticationPrincipal Caller caller, @RequestBody RetentionJson.PolicyRequest body) {
        RetentionPolicy created = policies.create(caller, body.spec());
        return ResponseEntity.created(URI.create(RETENTIONS + "/" + created.id())).build();
    }

    @GetMapping(RETENTIONS + "/{id}")
    Map<String, Object> get(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        return RetentionJson.policy(policies.get(caller, id));
    }

    @PutMapping(RETENTIONS + "/{id}")
    ResponseEntity<Void> update(@AuthenticationPrincipal Caller caller, @PathVariable long id,
                                @RequestBody RetentionJson.PolicyRequest body) {
        policies.update(caller, id, body.spec());
        return ResponseEntity.ok().build();
    }

    @DeleteMapping(RETENTIONS + "/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        policies.delete(caller, id);
        return ResponseEntity.ok().build();
    }

    @PostMapping(RETENTIONS + "/{id}/executions")
    ResponseEntity<Void> run(@AuthenticationPrincipal Caller caller, @PathVariable long id,
                             @RequestBody(required = false) RetentionJson.@Nullable ExecutionRequest body) {
        RetentionExecution started = executions.start(caller, id, body != null && Boolean.TRUE.equals(body.dry_run()));
        return ResponseEntity.created(URI.create(RETENTIONS + "/" + id + "/executions/" + started.id())).build();
    }

    @GetMapping(RETENTIONS + "/{id}/executions")
    ResponseEntity<List<Map<String, Object>>> executions(@AuthenticationPrincipal Caller caller, @PathVariable long id,
                                                         @RequestParam(required = false) @Nullable Integer page,
                                                         @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                         HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        Page<RetentionExecution> result = executions.list(caller, id, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, result)).body(result.map(RetentionJson::execution).getContent());
    }

    @PatchMapping(RETENTIONS + "/{id}/executions/{execution}")
    ResponseEntity<Void> stop(@AuthenticationPrincipal Caller caller, @PathVariable long id, @PathVariable long execution,
                              @RequestBody RetentionJson.ExecutionPatch body) {
        if (!"stop".equals(body.action())) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "the only action on an execution is stop");
        }
        executions.stop(caller, id, execution);
        return ResponseEntity.ok().build();
    }

    @GetMapping(RETENTIONS + "/{id}/executions/{execution}/tasks")
    ResponseEntity<List<Map<String, Object>>> tasks(@AuthenticationPrincipal Caller caller, @PathVariable long id,
                                                    @PathVariable long execution) {
        List<Map<String, Object>> tasks = executions.tasks(caller, id, execution).stream().map(RetentionJson::task).toList();
        return ResponseEntity.ok().header("X-Total-Count", String.valueOf(tasks.size())).body(tasks);
    }

    @GetMapping(value = RETENTIONS + "/{id}/executions/{execution}/tasks/{task}", produces = MediaType.TEXT_PLAIN_VALUE)
    String log(@AuthenticationPrincipal Caller caller, @PathVariable long id, @PathVariable long execution, @PathVariable long task) {
        return executions.log(caller, id, execution, task);
    }
}
