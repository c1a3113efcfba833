package io.wharf.core.iam;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A project setting kept as metadata ({@code auto_scan}) was set, or removed when {@code value} is null. */
public record ProjectMetadataChanged(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, String project,
                                     String key, @Nullable String value) implements DomainEvent {

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
    public String detail() {
        return key + "=" + value;
    }
}
