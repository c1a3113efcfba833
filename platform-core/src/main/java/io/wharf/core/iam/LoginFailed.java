package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A login failed: unknown name, wrong password or secret, or a locked name ({@code reason}). The
 * name is the one tried, which need not exist.
 */
public record LoginFailed(String actor, @Nullable String remoteAddr, Instant occurredAt, String reason) implements DomainEvent {

    @Override
    public String operation() {
        return "login";
    }

    @Override
    public String resourceType() {
        return "account";
    }

    @Override
    public String resource() {
        return actor;
    }

    @Override
    public boolean success() {
        return false;
    }

    @Override
    public String detail() {
        return reason;
    }
}
