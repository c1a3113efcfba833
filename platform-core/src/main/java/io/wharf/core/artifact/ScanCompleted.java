package io.wharf.core.artifact;

import io.wharf.core.event.DomainEvent;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A vulnerability scan of {@code repository@digest} ended with a report (published by the scanner
 * module when the report is stored; webhooks and the audit log listen). It lives in core so that
 * core-level listeners hear it without depending on the scanner module.
 *
 * @param actor          who asked for the scan; null for scan on push by an anonymous push
 * @param scanner        the registration's name
 * @param reportMimeType the report's media type
 * @param severity       the worst severity found ({@code None} when nothing was found)
 * @param total          how many vulnerabilities the report lists
 * @param fixable        how many of them have a fixed version
 */
public record ScanCompleted(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, RepositoryName repository,
                            Digest digest, String scanner, String reportMimeType, String severity, int total, int fixable)
    implements DomainEvent {

    @Override
    public String operation() {
        return "scan";
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
        return "scanner=" + scanner + " severity=" + severity + " total=" + total + " fixable=" + fixable;
    }
}
