package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A user's password changed. */
public record PasswordChanged(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, String username) implements DomainEvent {

    @Override
    public String operation() {
        return "update";
    }

    @Override
    public String resourceType() {
        return "user_password";
    }

    @Override
    public String resource() {
        return username;
    }
}
