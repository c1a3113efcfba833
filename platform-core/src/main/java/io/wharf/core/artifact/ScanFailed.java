package io.wharf.core.artifact;

import io.wharf.core.event.DomainEvent;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A vulnerability scan of {@code repository@digest} ended without a report: {@code Error} (the adapter
 * failed, retries were used up, or the scan timed out) or {@code Stopped} (someone stopped it).
 *
 * @param actor   who stopped the scan, or who asked for it when it failed; null when unknown
 * @param status  {@code Error} or {@code Stopped}
 * @param reason  why, in words
 */
public record ScanFailed(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, RepositoryName repository,
                         Digest digest, String scanner, String status, String reason) implements DomainEvent {

    @Override
    public String operation() {
        return "Stopped".equals(status) ? "stop_scan" : "scan";
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
    public boolean success() {
        return "Stopped".equals(status);
    }

    @Override
    public String detail() {
        return "scanner=" + scanner + " status=" + status + ": " + reason;
    }
}
