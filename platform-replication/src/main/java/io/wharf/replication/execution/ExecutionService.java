package io.wharf.replication.execution;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.replication.policy.ReplicationPolicy;
import io.wharf.replication.policy.ReplicationPolicyService;
import io.wharf.replication.policy.TriggerType;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Executions as administrators see and steer them (Harbor's {@code /replication/executions}): start
 * a policy now, list and read executions and their tasks, stop one. Starting only records the
 * execution; a node picks it up through Quartz once the transaction commits.
 */
@Service
public class ExecutionService {

    private final ExecutionStore store;
    private final ExecutionRepository executions;
    private final TaskRepository tasks;
    private final ReplicationPolicyService policies;
    private final AccessPolicy access;

    ExecutionService(ExecutionStore store, ExecutionRepository executions, TaskRepository tasks,
                     ReplicationPolicyService policies, AccessPolicy access) {
        this.store = store;
        this.executions = executions;
        this.tasks = tasks;
        this.policies = policies;
        this.access = access;
    }

    /**
     * Starts policy {@code policyId} now.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown policy,
     *         {@link ErrorCode#PRECONDITION} for a disabled one
     */
    @Transactional
    public ReplicationExecution start(Caller caller, long policyId) {
        ReplicationPolicy policy = policies.get(caller, policyId);
        if (!policy.spec().enabled()) {
            throw new PlatformException(ErrorCode.PRECONDITION, "the policy " + policy.spec().name() + " is disabled");
        }
        return store.create(policyId, TriggerType.MANUAL);
    }

    /** Executions, newest first, optionally of one policy, status and trigger. */
    @Transactional(readOnly = true)
    public Page<ReplicationExecution> list(Caller caller, @Nullable Long policyId, @Nullable String status,
                                           @Nullable String trigger, Pageable pageable) {
        access.requireSysadmin(caller);
        Pageable sorted = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), Sort.by(Sort.Order.desc("id")));
        return executions.search(policyId, status, trigger, sorted).map(store::view);
    }

    /** @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown id */
    @Transactional(readOnly = true)
    public ReplicationExecution get(Caller caller, long id) {
        access.requireSysadmin(caller);
        return store.get(id);
    }

    /**
     * Asks a running execution to stop: its node stops copying within one buffer, pending tasks are
     * marked stopped. Stopping a finished execution changes nothing.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown id
     */
    @Transactional
    public ReplicationExecution stop(Caller caller, long id) {
        access.requireSysadmin(caller);
        store.get(id);
        executions.requestStop(id);
        return store.get(id);
    }

    /**
     * Runs the failed and stopped tasks of an ended execution again (Wharf's addition to Harbor's
     * API): they become pending, the execution is in progress again, and a node picks it up as any
     * other; its succeeded and skipped tasks stay as they are.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}; {@link ErrorCode#PRECONDITION} while it
     *         runs or when it has nothing to retry
     */
    @Transactional
    public ReplicationExecution retry(Caller caller, long id) {
        access.requireSysadmin(caller);
        return store.retry(id);
    }

    /** The tasks of execution {@code id}, in order, optionally in one status. */
    @Transactional(readOnly = true)
    public Page<ReplicationTask> tasks(Caller caller, long id, @Nullable String status, Pageable pageable) {
        access.requireSysadmin(caller);
        store.get(id);
        Pageable sorted = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), Sort.by("id"));
        return tasks.search(id, status, sorted).map(ExecutionStore::view);
    }

    /**
     * The log of task {@code taskId} of execution {@code id}.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} when there is no such task in that execution
     */
    @Transactional(readOnly = true)
    public String log(Caller caller, long id, long taskId) {
        access.requireSysadmin(caller);
        return tasks.findById(taskId).filter(t -> t.executionId == id).map(t -> t.log)
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "no task " + taskId + " in execution " + id));
    }
}
