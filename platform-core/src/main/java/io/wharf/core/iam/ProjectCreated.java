package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A project was created. */
public record ProjectCreated(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, long projectId, String project, boolean isPublic) implements DomainEvent {

    @Override
    public String operation() {
        return "create";
    }

    @Override
    public String resourceType() {
        return "project";
    }

    @Override
    public String resource() {
        return project;
    }
}
