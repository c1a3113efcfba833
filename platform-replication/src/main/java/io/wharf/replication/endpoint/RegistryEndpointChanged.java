package io.wharf.replication.endpoint;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A registry endpoint was created, updated or deleted ({@code operation}); {@code resource} is its name. */
public record RegistryEndpointChanged(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt,
                                      String operation, String resource) implements DomainEvent {

    @Override
    public String resourceType() {
        return "registry";
    }
}
