package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A user account was deleted. */
public record UserDeleted(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, String username) implements DomainEvent {

    @Override
    public String operation() {
        return "delete";
    }

    @Override
    public String resourceType() {
        return "user";
    }

    @Override
    public String resource() {
        return username;
    }
}
