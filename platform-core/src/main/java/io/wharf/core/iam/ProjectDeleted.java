package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A project was deleted, with its members and robots. */
public record ProjectDeleted(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, long projectId, String project) implements DomainEvent {

    @Override
    public String operation() {
        return "delete";
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
