package io.wharf.retention.execution;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * One repository of a run.
 *
 * @param total    the candidates (artifacts the policy decides about)
 * @param retained how many of them it kept (or, in a dry run, would keep)
 */
public record RetentionTask(long id, long executionId, String repository, String status, OffsetDateTime startTime,
                            @Nullable OffsetDateTime endTime, int total, int retained) {
}
