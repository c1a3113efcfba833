package io.wharf.replication.policy;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A policy was created, updated or deleted ({@code operation}); {@code resource} is its name. */
public record ReplicationPolicyChanged(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt,
                                       String operation, String resource, long policyId) implements DomainEvent {

    @Override
    public String resourceType() {
        return "replication_policy";
    }
}
