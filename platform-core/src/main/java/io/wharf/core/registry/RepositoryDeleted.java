package io.wharf.core.registry;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A repository was deleted with everything it held: its manifests (each also published as
 * {@link ArtifactDeleted}), tags and blob links.
 *
 * @param artifacts how many manifests it held
 */
public record RepositoryDeleted(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt,
                                RepositoryName repository, int artifacts) implements DomainEvent {

    @Override
    public String operation() {
        return "delete";
    }

    @Override
    public String resourceType() {
        return "repository";
    }

    @Override
    public String resource() {
        return repository.value();
    }

    @Override
    public String detail() {
        return artifacts + " artifacts";
    }
}
