package io.wharf.replication.engine;

import io.wharf.replication.execution.ExecutionStore;
import io.wharf.replication.execution.ReplicationTask;
import io.wharf.replication.execution.TaskStatus;
import org.jspecify.annotations.Nullable;

import java.util.List;

/** Copies for one policy in one direction: lists what to copy, then copies one artifact at a time. */
interface Replicator {

    /** The tasks of a new execution: each source repository and tag that passes the filters. */
    List<ExecutionStore.Planned> plan(TaskContext context);

    /**
     * Copies one artifact, HEAD first: an artifact already at the destination is skipped.
     *
     * @throws StoppedException when the execution was asked to stop mid-copy
     * @throws RuntimeException  when the copy fails (the task is failed, the execution goes on)
     */
    Outcome copy(ReplicationTask task, TaskContext context);

    /** How a task ended: {@link TaskStatus#SUCCEED} or {@link TaskStatus#SKIPPED}, the digest and the bytes moved. */
    record Outcome(TaskStatus status, @Nullable String digest, long bytes) {
    }
}
