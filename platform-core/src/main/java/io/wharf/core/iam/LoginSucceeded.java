package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A user or robot logged in with a password or secret ({@code kind} is {@code user} or {@code robot}). */
public record LoginSucceeded(String actor, @Nullable String remoteAddr, Instant occurredAt, String kind) implements DomainEvent {

    @Override
    public String operation() {
        return "login";
    }

    @Override
    public String resourceType() {
        return kind;
    }

    @Override
    public String resource() {
        return actor;
    }
}
