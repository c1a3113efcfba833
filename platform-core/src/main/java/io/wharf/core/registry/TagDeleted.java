package io.wharf.core.registry;

import io.wharf.core.event.DomainEvent;
import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A tag was deleted from {@code repository}; the manifest it named stays. */
public record TagDeleted(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, RepositoryName repository, String tag) implements DomainEvent {

    @Override
    public String operation() {
        return "delete";
    }

    @Override
    public String resourceType() {
        return "artifact";
    }

    @Override
    public String resource() {
        return repository + ":" + tag;
    }
}
