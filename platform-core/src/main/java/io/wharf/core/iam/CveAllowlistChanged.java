package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A CVE allowlist was replaced: a project's, or the system's when {@code project} is null. */
public record CveAllowlistChanged(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt,
                                  @Nullable String project, int items, @Nullable Long expiresAt) implements DomainEvent {

    @Override
    public String operation() {
        return "update";
    }

    @Override
    public String resourceType() {
        return "cve_allowlist";
    }

    @Override
    public String resource() {
        return project == null ? "system" : project;
    }

    @Override
    public String detail() {
        return items + " items, expires_at=" + expiresAt;
    }
}
