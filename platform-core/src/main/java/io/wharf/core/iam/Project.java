package io.wharf.core.iam;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/** A project as the rest of Wharf sees it. */
public record Project(long id, String name, boolean isPublic, @Nullable Long ownerId, OffsetDateTime createdAt,
                      OffsetDateTime updatedAt) {
}
