package io.wharf.core.artifact;

import io.wharf.core.event.DomainEvent;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A tag was created on the artifact {@code digest} of {@code repository} through the API. */
public record TagCreated(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, RepositoryName repository,
                         String tag, Digest digest) implements DomainEvent {

    @Override
    public String operation() {
        return "create";
    }

    @Override
    public String resourceType() {
        return "tag";
    }

    @Override
    public String resource() {
        return repository + ":" + tag;
    }

    @Override
    public String detail() {
        return digest.toString();
    }
}
