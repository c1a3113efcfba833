package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A user stopped being a member of a project. */
public record MemberRemoved(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, String project, String username) implements DomainEvent {

    @Override
    public String operation() {
        return "delete";
    }

    @Override
    public String resourceType() {
        return "member";
    }

    @Override
    public String resource() {
        return project + ":" + username;
    }
}
