package io.wharf.scanner.registration;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A scanner registration was created, updated, made the default or deleted ({@code operation});
 * {@code resource} is its name, {@code detail} what changed when it is not obvious.
 */
public record ScannerRegistrationChanged(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt,
                                         String operation, String resource, @Nullable String detail) implements DomainEvent {

    @Override
    public String resourceType() {
        return "scanner";
    }
}
