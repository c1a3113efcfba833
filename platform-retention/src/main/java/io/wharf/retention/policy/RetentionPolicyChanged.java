package io.wharf.retention.policy;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A retention policy was created, changed or deleted ({@code operation}); the audit log records it and
 * the scheduler follows its {@code cron} (null: no schedule, or deleted).
 */
public record RetentionPolicyChanged(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, String operation,
                                     String project, long policyId, @Nullable String cron) implements DomainEvent {

    @Override
    public String resourceType() {
        return "retention_policy";
    }

    @Override
    public String resource() {
        return project + ":" + policyId;
    }
}
