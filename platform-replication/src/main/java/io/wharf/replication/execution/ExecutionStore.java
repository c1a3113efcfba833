package io.wharf.replication.execution;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.replication.policy.TriggerType;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine records while it runs an execution, each step in its own short transaction so
 * that progress, stop requests and logs are visible to every node at once. Not for callers: it
 * checks no permissions.
 */
@Component
public class ExecutionStore {

    private final ExecutionRepository executions;
    private final TaskRepository tasks;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ExecutionStore(ExecutionRepository executions, TaskRepository tasks, ApplicationEventPublisher events, Clock clock) {
        this.executions = executions;
        this.tasks = tasks;
        this.events = events;
        this.clock = clock;
    }

    /** Records a new execution of {@code policyId} and asks for it to be run once this commits. */
    @Transactional
    public ReplicationExecution create(long policyId, TriggerType trigger) {
        ExecutionEntity entity = executions.saveAndFlush(new ExecutionEntity(policyId, trigger.id(), OffsetDateTime.now(clock)));
        events.publishEvent(new ExecutionRequested(entity.id));
        return view(entity);
    }

    /**
     * Records a new execution whose tasks are already known (an event), and asks for it to be run; in
     * a transaction of its own, as it is called after the transaction of the event has committed.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public ReplicationExecution createPlanned(long policyId, TriggerType trigger, List<Planned> planned) {
        ExecutionEntity entity = executions.saveAndFlush(new ExecutionEntity(policyId, trigger.id(), OffsetDateTime.now(clock)));
        for (Planned p : planned) {
            tasks.save(new TaskEntity(entity.id, p.operation(), p.srcRepository(), p.dstRepository(), p.reference()));
        }
        entity.planned = true;
        events.publishEvent(new ExecutionRequested(entity.id));
        return view(entity);
    }

    /** @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown id */
    @Transactional(readOnly = true)
    public ReplicationExecution get(long id) {
        return view(executions.findById(id)
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "no replication execution with id " + id)));
    }

    /** The ids of the executions not ended yet. */
    @Transactional(readOnly = true)
    public List<Long> unfinishedExecutions() {
        return executions.findIdsByStatus(ExecutionStatus.IN_PROGRESS.id());
    }

    /** Whether someone asked execution {@code id} to stop. */
    @Transactional(readOnly = true)
    public boolean stopRequested(long id) {
        return executions.stopRequested(id);
    }

    /** See {@link ExecutionService#retry}. */
    @Transactional
    public ReplicationExecution retry(long id) {
        ExecutionEntity execution = executions.findById(id)
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "no replication execution with id " + id));
        if (execution.status.equals(ExecutionStatus.IN_PROGRESS.id())) {
            throw new PlatformException(ErrorCode.PRECONDITION, "execution " + id + " is still running");
        }
        if (tasks.retry(id) == 0) {
            throw new PlatformException(ErrorCode.PRECONDITION, "execution " + id + " has no failed or stopped task to retry");
        }
        execution.status = ExecutionStatus.IN_PROGRESS.id();
        execution.stopRequested = false;
        execution.statusText = null;
        execution.endTime = null;
        events.publishEvent(new ExecutionRequested(id));
        return view(execution);
    }

    /** Whether the tasks of execution {@code id} are listed already. */
    @Transactional(readOnly = true)
    public boolean isPlanned(long id) {
        return executions.findById(id).map(e -> e.planned).orElse(false);
    }

    /** What a task to create copies: {@code reference} of {@code srcRepository} to {@code dstRepository}. */
    public record Planned(String operation, String srcRepository, String dstRepository, String reference) {
    }

    /** Records the tasks of an execution and marks it planned, in one transaction. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void plan(long executionId, List<Planned> planned) {
        for (Planned p : planned) {
            tasks.save(new TaskEntity(executionId, p.operation(), p.srcRepository(), p.dstRepository(), p.reference()));
        }
        ExecutionEntity execution = executions.findById(executionId).orElseThrow();
        execution.planned = true;
    }

    /** The tasks still to do (pending, or in progress when a node died), in order. */
    @Transactional(readOnly = true)
    public List<ReplicationTask> unfinished(long executionId) {
        return tasks.findAllById(tasks.unfinished(executionId)).stream().map(ExecutionStore::view).toList();
    }

    /** Marks a task started (one more attempt). */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void started(long taskId) {
        TaskEntity task = tasks.findById(taskId).orElseThrow();
        task.status = TaskStatus.IN_PROGRESS.id();
        task.attempts++;
        if (task.startTime == null) {
            task.startTime = OffsetDateTime.now(clock);
        }
    }

    /** Appends a line to a task's log, stamped with the time. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void log(long taskId, String line) {
        tasks.appendLog(taskId, clock.instant() + " " + line + "\n");
    }

    /** Ends a task in {@code status}, with the digest, the bytes moved and the error, if any. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void finished(long taskId, TaskStatus status, @Nullable String digest, long bytes, @Nullable String error) {
        TaskEntity task = tasks.findById(taskId).orElseThrow();
        task.status = status.id();
        task.digest = digest != null ? digest : task.digest;
        task.bytes += bytes;
        task.error = error;
        task.endTime = OffsetDateTime.now(clock);
    }

    /** Records that the execution waits for an upstream rate-limit window until {@code until} (null: it goes on). */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void paused(long executionId, @Nullable OffsetDateTime until) {
        executions.findById(executionId).orElseThrow().pausedUntil = until;
    }

    /**
     * Ends the execution: {@code Stopped} when a stop was asked (its unfinished tasks are stopped),
     * {@code Failed} when a task failed or {@code error} is given, else {@code Succeed}.
     *
     * @param pulls whether the policy pulls into Wharf (its tasks' destinations are local) or pushes out
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public ReplicationExecution finish(long executionId, String policyName, boolean pulls, @Nullable String error) {
        ExecutionEntity execution = executions.findById(executionId).orElseThrow();
        if (!execution.status.equals(ExecutionStatus.IN_PROGRESS.id())) {
            return view(execution); // ended already (by another node that resumed it)
        }
        if (execution.stopRequested) {
            tasks.stopUnfinished(executionId);
        }
        ReplicationExecution view = view(execution);
        ExecutionStatus status = execution.stopRequested ? ExecutionStatus.STOPPED
            : error != null || view.count(TaskStatus.FAILED) > 0 ? ExecutionStatus.FAILED : ExecutionStatus.SUCCEED;
        execution.status = status.id();
        execution.statusText = error != null ? error : summary(view);
        execution.pausedUntil = null;
        execution.endTime = OffsetDateTime.now(clock);
        events.publishEvent(new ReplicationFinished(clock.instant(), executionId, execution.policyId, policyName, status,
            execution.statusText, pulls ? tasks.dstRepositories(executionId) : tasks.srcRepositories(executionId)));
        return view(execution);
    }

    private static String summary(ReplicationExecution e) {
        return e.count(TaskStatus.SUCCEED) + " copied, " + e.count(TaskStatus.SKIPPED) + " unchanged, "
            + e.count(TaskStatus.FAILED) + " failed, " + e.count(TaskStatus.STOPPED) + " stopped";
    }

    ReplicationExecution view(ExecutionEntity e) {
        Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
        for (Object[] row : tasks.countByStatus(e.id)) {
            TaskStatus.find((String) row[0]).ifPresent(s -> counts.put(s, ((Number) row[1]).longValue()));
        }
        return new ReplicationExecution(e.id, e.policyId, e.trigger, ExecutionStatus.find(e.status).orElseThrow(),
            e.statusText, e.stopRequested, counts, e.pausedUntil, e.startTime, e.endTime);
    }

    static ReplicationTask view(TaskEntity t) {
        return new ReplicationTask(t.id, t.executionId, t.resourceType, t.operation, t.srcRepository, t.dstRepository,
            t.reference, t.digest, TaskStatus.find(t.status).orElseThrow(), t.bytes, t.attempts, t.startTime, t.endTime, t.error);
    }
}
