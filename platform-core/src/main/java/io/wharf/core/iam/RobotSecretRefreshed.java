package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A robot account got a new secret. */
public record RobotSecretRefreshed(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, String robot) implements DomainEvent {

    @Override
    public String operation() {
        return "update";
    }

    @Override
    public String resourceType() {
        return "robot_secret";
    }

    @Override
    public String resource() {
        return robot;
    }
}
