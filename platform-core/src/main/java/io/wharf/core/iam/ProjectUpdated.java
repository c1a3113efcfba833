package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A project's settings changed. */
public record ProjectUpdated(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, long projectId, String project, @Nullable Boolean isPublic) implements DomainEvent {

    @Override
    public String operation() {
        return "update";
    }

    @Override
    public String resourceType() {
        return "project";
    }

    @Override
    public String resource() {
        return project;
    }

    @Override
    public @Nullable String detail() {
        return "public=" + isPublic;
    }
}
