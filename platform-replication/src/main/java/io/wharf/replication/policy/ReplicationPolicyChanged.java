package io.wharf.replication.policy;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A policy was created, updated or deleted ({@code operation}); {@code resource} is its name.
 *
 * @param schedule the Quartz cron expression the policy now runs on, or null when it is not (or no
 *                 longer) an enabled scheduled policy
 */
public record ReplicationPolicyChanged(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt,
                                       String operation, String resource, long policyId, @Nullable String schedule)
    implements DomainEvent {

    @Override
    public String resourceType() {
        return "replication_policy";
    }
}
