package io.wharf.core.registry;

import io.wharf.core.event.DomainEvent;
import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A manifest was pulled (GET, not HEAD) from {@code repository} by {@code reference} (the tag or digest the client asked for). */
public record ArtifactPulled(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, RepositoryName repository, Digest digest, String reference, String mediaType) implements DomainEvent {

    @Override
    public String operation() {
        return "pull";
    }

    @Override
    public String resourceType() {
        return "artifact";
    }

    @Override
    public String resource() {
        return repository + ":" + reference;
    }
}
