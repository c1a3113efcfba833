package io.wharf.retention.execution;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A run of a retention policy was asked for (a manual run, real or dry); the audit log records it, the scheduler starts it. */
public record RetentionRunRequested(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, String project,
                                    long policyId, long executionId, boolean dryRun) implements DomainEvent {

    @Override
    public String operation() {
        return dryRun ? "dry_run" : "run";
    }

    @Override
    public String resourceType() {
        return "retention_policy";
    }

    @Override
    public String resource() {
        return project + ":" + policyId;
    }
}
