package io.wharf.core.artifact;

import io.wharf.core.event.DomainEvent;
import io.wharf.core.registry.RepositoryName;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** The description of {@code repository} was changed. */
public record RepositoryUpdated(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt,
                                RepositoryName repository) implements DomainEvent {

    @Override
    public String operation() {
        return "update";
    }

    @Override
    public String resourceType() {
        return "repository";
    }

    @Override
    public String resource() {
        return repository.value();
    }
}
