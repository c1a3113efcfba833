package io.wharf.core.audit;

import org.jspecify.annotations.Nullable;

/**
 * Something to audit: who ({@code username}, null when anonymous) did what ({@code operation}, e.g.
 * {@code login}, {@code push}) to which {@code resourceType}/{@code resource}, from where, and whether it worked.
 */
public record AuditEvent(@Nullable String username, String operation, String resourceType, @Nullable String resource,
                         boolean success, @Nullable String remoteAddr, @Nullable String detail) {
}
