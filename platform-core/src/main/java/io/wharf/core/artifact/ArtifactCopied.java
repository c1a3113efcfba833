package io.wharf.core.artifact;

import io.wharf.core.event.DomainEvent;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * The artifact {@code digest} (with its children, when an index) was copied from {@code source} into
 * {@code repository}, its blobs linked rather than copied.
 */
public record ArtifactCopied(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, RepositoryName repository,
                             Digest digest, RepositoryName source) implements DomainEvent {

    @Override
    public String operation() {
        return "create";
    }

    @Override
    public String resourceType() {
        return "artifact";
    }

    @Override
    public String resource() {
        return repository + "@" + digest;
    }

    @Override
    public String detail() {
        return "copied from " + source;
    }
}
