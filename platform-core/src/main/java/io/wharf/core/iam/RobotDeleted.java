package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A robot account was deleted. */
public record RobotDeleted(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, String robot) implements DomainEvent {

    @Override
    public String operation() {
        return "delete";
    }

    @Override
    public String resourceType() {
        return "robot";
    }

    @Override
    public String resource() {
        return robot;
    }
}
