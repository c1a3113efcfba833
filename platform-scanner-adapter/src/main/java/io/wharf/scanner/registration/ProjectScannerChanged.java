package io.wharf.scanner.registration;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A project's scanner was set; {@code resource} is the project (so it shows in the project's log), {@code detail} names the registration. */
public record ProjectScannerChanged(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt,
                                    String resource, @Nullable String detail) implements DomainEvent {

    @Override
    public String operation() {
        return "update";
    }

    @Override
    public String resourceType() {
        return "project";
    }
}
