package io.wharf.core.quota;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A system administrator changed a project's storage limit ({@code -1}: none). */
public record QuotaUpdated(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, long quotaId, String project,
                           long hard) implements DomainEvent {

    @Override
    public String operation() {
        return "update";
    }

    @Override
    public String resourceType() {
        return "quota";
    }

    @Override
    public String resource() {
        return project;
    }

    @Override
    public String detail() {
        return "storage=" + hard;
    }
}
