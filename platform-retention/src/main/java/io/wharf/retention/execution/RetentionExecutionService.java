package io.wharf.retention.execution;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.ProjectService;
import io.wharf.retention.policy.RetentionPolicy;
import io.wharf.retention.policy.RetentionPolicyService;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The runs of a policy as Harbor's API shows them: start one (real or dry), list them newest first,
 * stop one, its tasks (one per repository) and a task's log. Access as the policy's
 * ({@link RetentionPolicyService#get}). A started run is {@code Pending} until a node claims it.
 */
@Service
public class RetentionExecutionService {

    private final RetentionExecutionRepository executions;
    private final RetentionTaskRepository tasks;
    private final RetentionPolicyService policies;
    private final ProjectService projects;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    RetentionExecutionService(RetentionExecutionRepository executions, RetentionTaskRepository tasks, RetentionPolicyService policies, ProjectService projects,
                     ApplicationEventPublisher events, Clock clock) {
        this.executions = executions;
        this.tasks = tasks;
        this.policies = policies;
        this.projects = projects;
        this.events = events;
        this.clock = clock;
    }

    /** Starts a manual run of policy {@code policyId}; published as {@link RetentionRunRequested}, which starts it on some node. */
    @Transactional
    public RetentionExecution start(Caller caller, long policyId, boolean dryRun) {
        RetentionPolicy policy = policies.get(caller, policyId);
        RetentionExecutionEntity execution = create(policyId, RetentionExecution.MANUAL, dryRun);
        events.publishEvent(new RetentionRunRequested(caller.name(), caller.remoteAddr(), clock.instant(),
            projects.get(String.valueOf(policy.projectId())).name(), policyId, execution.id(), dryRun));
        return execution.view();
    }

    /** Records a scheduled (real) run of policy {@code policyId}, to be run by the caller at once; no access check. */
    @Transactional
    public RetentionExecution startScheduled(long policyId) {
        return create(policyId, RetentionExecution.SCHEDULE, false).view();
    }

    private RetentionExecutionEntity create(long policyId, String trigger, boolean dryRun) {
        RetentionExecutionEntity execution = new RetentionExecutionEntity();
        execution.policyId = policyId;
        execution.status = RetentionExecution.PENDING;
        execution.trigger = trigger;
        execution.dryRun = dryRun;
        execution.startTime = OffsetDateTime.now(clock);
        return executions.saveAndFlush(execution);
    }

    /** A page of the policy's runs, newest first. */
    @Transactional(readOnly = true)
    public Page<RetentionExecution> list(Caller caller, long policyId, Pageable pageable) {
        policies.get(caller, policyId);
        return executions.findByPolicyIdOrderByIdDesc(policyId, pageable).map(RetentionExecutionEntity::view);
    }

    /** Run {@code executionId} of the policy. @throws PlatformException {@link ErrorCode#NOT_FOUND} */
    @Transactional(readOnly = true)
    public RetentionExecution get(Caller caller, long policyId, long executionId) {
        policies.get(caller, policyId);
        return entity(policyId, executionId).view();
    }

    /**
     * Asks the run to stop: the node running it stops before its next deletion and marks it {@code Stopped};
     * a run not yet claimed is stopped at once; a finished run stays as it is.
     */
    @Transactional
    public void stop(Caller caller, long policyId, long executionId) {
        policies.get(caller, policyId);
        RetentionExecutionEntity execution = entity(policyId, executionId);
        if (execution.endTime != null) {
            return;
        }
        execution.stopRequested = true;
        if (RetentionExecution.PENDING.equals(execution.status)) {
            execution.status = RetentionExecution.STOPPED;
            execution.endTime = OffsetDateTime.now(clock);
        }
    }

    /** The run's tasks, one per repository, in the order they ran. */
    @Transactional(readOnly = true)
    public List<RetentionTask> tasks(Caller caller, long policyId, long executionId) {
        policies.get(caller, policyId);
        entity(policyId, executionId);
        return tasks.findByExecutionIdOrderById(executionId).stream().map(RetentionTaskEntity::view).toList();
    }

    /** The log of task {@code taskId} of the run. @throws PlatformException {@link ErrorCode#NOT_FOUND} */
    @Transactional(readOnly = true)
    public String log(Caller caller, long policyId, long executionId, long taskId) {
        policies.get(caller, policyId);
        entity(policyId, executionId);
        return tasks.findByIdAndExecutionId(taskId, executionId)
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "retention task " + taskId + " not found"))
            .log;
    }

    /** The runs not yet finished, for the scheduler at start. */
    @Transactional(readOnly = true)
    public List<RetentionExecution> unfinished() {
        return executions.findByStatusIn(List.of(RetentionExecution.PENDING, RetentionExecution.RUNNING)).stream()
            .map(RetentionExecutionEntity::view).toList();
    }

    private RetentionExecutionEntity entity(long policyId, long executionId) {
        return executions.findByIdAndPolicyId(executionId, policyId)
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "retention execution " + executionId + " not found"));
    }
}
