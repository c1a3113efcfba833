package io.wharf.core.registry;

import io.wharf.core.event.DomainEvent;
import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A manifest was pushed to {@code repository}, by digest or under {@code tag}; replication, scanning and webhooks listen. */
public record ArtifactPushed(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, RepositoryName repository, Digest digest, @Nullable String tag, String mediaType, long size) implements DomainEvent {

    @Override
    public String operation() {
        return "push";
    }

    @Override
    public String resourceType() {
        return "artifact";
    }

    @Override
    public String resource() {
        return repository + ":" + (tag != null ? tag : digest.toString());
    }
}
