package io.wharf.api.replication;

import io.wharf.api.iam.ApiPage;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.replication.execution.ExecutionService;
import io.wharf.replication.execution.ReplicationExecution;
import io.wharf.replication.execution.ReplicationTask;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2.0/replication/executions}: start a policy ({@code POST {"policy_id"}}), list and
 * read executions, stop one ({@code PUT}), run its failed tasks again ({@code POST .../retry}, Wharf's
 * addition), its tasks and each task's log (plain text).
 */
@RestController
@RequestMapping("/api/v2.0/replication/executions")
class ReplicationExecutionApiController {

    private final ExecutionService executions;

    ReplicationExecutionApiController(ExecutionService executions) {
        this.executions = executions;
    }

    record StartRequest(@Nullable Long policy_id) {
    }

    @PostMapping
    ResponseEntity<Void> start(@AuthenticationPrincipal Caller caller, @RequestBody StartRequest body) {
        if (body.policy_id() == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "policy_id is required");
        }
        ReplicationExecution execution = executions.start(caller, body.policy_id());
        return ResponseEntity.created(URI.create("/api/v2.0/replication/executions/" + execution.id())).build();
    }

    @GetMapping
    ResponseEntity<List<Map<String, Object>>> list(@AuthenticationPrincipal Caller caller,
                                                   @RequestParam(name = "policy_id", required = false) @Nullable Long policyId,
                                                   @RequestParam(required = false) @Nullable String status,
                                                   @RequestParam(required = false) @Nullable String trigger,
                                                   @RequestParam(required = false) @Nullable Integer page,
                                                   @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                   HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        Page<ReplicationExecution> result = executions.list(caller, policyId, status, trigger, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, result))
            .body(result.map(ReplicationJson::execution).getContent());
    }

    @GetMapping("/{id}")
    Map<String, Object> get(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        return ReplicationJson.execution(executions.get(caller, id));
    }

    @PutMapping("/{id}")
    ResponseEntity<Void> stop(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        executions.stop(caller, id);
        return ResponseEntity.ok().build();
    }

    /** Wharf's addition: runs an ended execution's failed and stopped tasks again. */
    @PostMapping("/{id}/retry")
    ResponseEntity<Void> retry(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        executions.retry(caller, id);
        return ResponseEntity.ok().build();
    }

    @GetMapping("/{id}/tasks")
    ResponseEntity<List<Map<String, Object>>> tasks(@AuthenticationPrincipal Caller caller, @PathVariable long id,
                                                    @RequestParam(required = false) @Nullable String status,
                                                    @RequestParam(required = false) @Nullable Integer page,
                                                    @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                    HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        Page<ReplicationTask> result = executions.tasks(caller, id, status, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, result))
            .body(result.map(ReplicationJson::task).getContent());
    }

    @GetMapping(value = "/{id}/tasks/{taskId}/log", produces = MediaType.TEXT_PLAIN_VALUE)
    String log(@AuthenticationPrincipal Caller caller, @PathVariable long id, @PathVariable long taskId) {
        return executions.log(caller, id, taskId);
    }
}
