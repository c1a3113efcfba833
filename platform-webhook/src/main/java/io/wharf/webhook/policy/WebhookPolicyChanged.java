package io.wharf.webhook.policy;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A webhook policy was created, changed or deleted ({@code operation}); the audit log records it. */
public record WebhookPolicyChanged(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, String operation,
                                   String project, String policyName) implements DomainEvent {

    @Override
    public String resourceType() {
        return "webhook_policy";
    }

    @Override
    public String resource() {
        return project + ":" + policyName;
    }
}
