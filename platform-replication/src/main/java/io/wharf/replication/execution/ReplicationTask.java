package io.wharf.replication.execution;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * One artifact of an execution.
 *
 * @param operation {@code copy} or {@code deletion}
 * @param reference the tag (or digest) copied
 * @param digest    the manifest digest, once known
 * @param bytes     the bytes transferred (blobs already at the destination count nothing)
 */
public record ReplicationTask(long id, long executionId, String resourceType, String operation, String srcRepository,
                              String dstRepository, String reference, @Nullable String digest, TaskStatus status,
                              long bytes, int attempts, @Nullable OffsetDateTime startTime,
                              @Nullable OffsetDateTime endTime, @Nullable String error) {

    /** Harbor's {@code src_resource}: {@code repository:reference}. */
    public String srcResource() {
        return srcRepository + ":" + reference;
    }

    /** Harbor's {@code dst_resource}. */
    public String dstResource() {
        return dstRepository + ":" + reference;
    }
}
