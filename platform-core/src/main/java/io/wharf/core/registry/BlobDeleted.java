package io.wharf.core.registry;

import io.wharf.core.event.DomainEvent;
import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A blob was unlinked from {@code repository}; the bytes stay for garbage collection. */
public record BlobDeleted(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, RepositoryName repository, Digest digest) implements DomainEvent {

    @Override
    public String operation() {
        return "delete";
    }

    @Override
    public String resourceType() {
        return "blob";
    }

    @Override
    public String resource() {
        return repository + "@" + digest;
    }
}
