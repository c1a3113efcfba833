package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A registry token was issued; {@code access} lists what it grants. */
public record TokenIssued(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, String access) implements DomainEvent {

    @Override
    public String operation() {
        return "token";
    }

    @Override
    public String resourceType() {
        return "token";
    }

    @Override
    public String resource() {
        return access;
    }
}
