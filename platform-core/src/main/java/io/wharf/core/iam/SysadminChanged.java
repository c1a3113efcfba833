package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A user was made a system administrator, or stopped being one. */
public record SysadminChanged(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, String username, boolean sysadmin) implements DomainEvent {

    @Override
    public String operation() {
        return "update";
    }

    @Override
    public String resourceType() {
        return "user_sysadmin";
    }

    @Override
    public String resource() {
        return username;
    }

    @Override
    public String detail() {
        return "sysadmin=" + sysadmin;
    }
}
