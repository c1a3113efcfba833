package io.wharf.replication.execution;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * An execution with its task counts by status.
 *
 * @param trigger    {@code manual}, {@code scheduled} or {@code event_based}
 * @param counts     the number of tasks in each status
 * @param pausedUntil while paused for an upstream rate limit, when it goes on
 */
public record ReplicationExecution(long id, long policyId, String trigger, ExecutionStatus status,
                                   @Nullable String statusText, boolean stopRequested, Map<TaskStatus, Long> counts,
                                   @Nullable OffsetDateTime pausedUntil, OffsetDateTime startTime,
                                   @Nullable OffsetDateTime endTime) {

    /** Tasks in {@code status}. */
    public long count(TaskStatus status) {
        return counts.getOrDefault(status, 0L);
    }

    /** All tasks. */
    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
