package io.wharf.core.registry;

import io.wharf.core.event.DomainEvent;
import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A manifest was deleted from {@code repository} by digest, with every tag that named it. */
public record ArtifactDeleted(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, RepositoryName repository, Digest digest) implements DomainEvent {

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
        return repository + ":" + digest;
    }
}
