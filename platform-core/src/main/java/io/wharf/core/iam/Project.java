package io.wharf.core.iam;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * A project as the rest of Wharf sees it.
 *
 * @param registryId the registry endpoint a proxy-cache project serves from, or null for a project
 *                   that holds what is pushed to it
 */
public record Project(long id, String name, boolean isPublic, @Nullable Long ownerId, OffsetDateTime createdAt,
                      OffsetDateTime updatedAt, @Nullable Long registryId) {

    /** Whether this is a proxy-cache project: read-only for clients, filled from its upstream. */
    public boolean isProxyCache() {
        return registryId != null;
    }
}
