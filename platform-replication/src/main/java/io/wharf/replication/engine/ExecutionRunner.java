package io.wharf.replication.engine;

import io.wharf.replication.execution.ExecutionStatus;
import io.wharf.replication.execution.ExecutionStore;
import io.wharf.replication.execution.ReplicationExecution;
import io.wharf.replication.execution.ReplicationTask;
import io.wharf.replication.execution.TaskStatus;
import io.wharf.replication.policy.ReplicationPolicy;
import io.wharf.replication.policy.ReplicationPolicyService;
import io.wharf.replication.upstream.Pause;
import io.wharf.replication.upstream.UpstreamRateLimitedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one execution to its end on this node: plans it once (a resumed execution keeps its tasks),
 * then runs its unfinished tasks, {@code concurrency} at a time. A task that was in progress on a
 * node that died runs again; the blobs it had already stored are found by digest and not moved
 * again. Each task gets up to three attempts (transient failures only), each within
 * {@code wharf.replication.task-timeout}; the policy's bandwidth limit is shared by its copies.
 */
@Component
public class ExecutionRunner {

    private static final Logger log = LoggerFactory.getLogger(ExecutionRunner.class);
    private static final int ATTEMPTS = 3;

    private static final int RATE_LIMIT_WAITS = 24;

    private final ExecutionStore store;
    private final ReplicationPolicyService policies;
    private final Replicators replicators;
    private final RateLimitGuard guard;
    private final EngineProperties properties;
    private final Clock clock;
    private final Pause pause;

    ExecutionRunner(ExecutionStore store, ReplicationPolicyService policies, Replicators replicators, RateLimitGuard guard,
                    EngineProperties properties, Clock clock, Pause pause) {
        this.store = store;
        this.policies = policies;
        this.replicators = replicators;
        this.guard = guard;
        this.properties = properties;
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * Runs or resumes execution {@code executionId}; returns when it has ended. An execution that has
     * already ended is left alone.
     *
     * @param recovering whether Quartz gives this run again after its node died
     */
    public ReplicationExecution run(long executionId, boolean recovering) {
        ReplicationExecution execution = store.get(executionId);
        if (execution.status() != ExecutionStatus.IN_PROGRESS) {
            return execution;
        }
        Optional<ReplicationPolicy> policy = policies.find(execution.policyId());
        if (policy.isEmpty()) {
            return store.finish(executionId, "policy " + execution.policyId(), true, "the policy was deleted");
        }
        TaskContext context = new TaskContext(executionId, store, clock, new Throttle(policy.get().spec().speedKb(), clock, pause));
        try {
            Replicator replicator = replicators.forPolicy(policy.get());
            if (recovering) {
                context.log("resumed after its node stopped");
            }
            if (!isPlanned(executionId) && !context.stopRequested()) {
                store.plan(executionId, replicator.plan(context));
            }
            runTasks(policy.get(), replicator, context);
            return store.finish(executionId, policy.get().spec().name(), policy.get().pulls(), null);
        } catch (RuntimeException e) {
            log.warn("Replication execution {} failed: {}", executionId, e.toString());
            return store.finish(executionId, policy.get().spec().name(), policy.get().pulls(), message(e));
        }
    }

    private boolean isPlanned(long executionId) {
        return store.isPlanned(executionId);
    }

    private void runTasks(ReplicationPolicy policy, Replicator replicator, TaskContext context) {
        List<ReplicationTask> tasks = store.unfinished(context.executionId());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(policy.spec().concurrency(), tasks.size())));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (ReplicationTask task : tasks) {
                running.add(pool.submit(() -> runTask(replicator, task, context)));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private void runTask(Replicator replicator, ReplicationTask task, TaskContext execution) {
        int waits = 0;
        for (int attempt = 1; ; attempt++) {
            TaskContext context = execution.forTask(task.id(), properties.taskTimeout());
            if (context.stopRequested()) {
                return; // finishing the execution marks it stopped
            }
            store.started(task.id());
            try {
                Replicator.Outcome outcome = replicator.copy(task, context);
                store.finished(task.id(), outcome.status(), outcome.digest(), outcome.bytes(), null);
                return;
            } catch (StoppedException e) {
                context.log("stopped");
                store.finished(task.id(), TaskStatus.STOPPED, null, 0, "stopped");
                return;
            } catch (UpstreamRateLimitedException e) {
                // a rate limit is not the artifact's fault: wait it out without spending an attempt
                if (++waits > RATE_LIMIT_WAITS) {
                    store.finished(task.id(), TaskStatus.FAILED, null, 0, "still rate limited: " + message(e));
                    return;
                }
                attempt--;
                try {
                    guard.pauseUntil(e.retryAt(), "rate limited (" + e.kind() + "): " + message(e), context);
                } catch (StoppedException stopped) {
                    store.finished(task.id(), TaskStatus.STOPPED, null, 0, "stopped");
                    return;
                }
            } catch (RuntimeException e) {
                context.log("attempt " + attempt + " failed: " + message(e));
                if (attempt >= ATTEMPTS || !Retries.isTransient(e)) {
                    store.finished(task.id(), TaskStatus.FAILED, null, 0, message(e));
                    return;
                }
            }
        }
    }

    static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
