package io.wharf.core.audit;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/** An audit log entry as stored. */
public record AuditRecord(long id, OffsetDateTime occurredAt, @Nullable String username, String operation,
                          String resourceType, @Nullable String resource, String outcome, @Nullable String remoteAddr,
                          @Nullable String detail) {
}
