package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A member's role in a project changed. */
public record MemberRoleChanged(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, String project, String username, Role role) implements DomainEvent {

    @Override
    public String operation() {
        return "update";
    }

    @Override
    public String resourceType() {
        return "member";
    }

    @Override
    public String resource() {
        return project + ":" + username;
    }

    @Override
    public String detail() {
        return role.harborName();
    }
}
