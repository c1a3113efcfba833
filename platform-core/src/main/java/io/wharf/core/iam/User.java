package io.wharf.core.iam;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/** A user account as the rest of Wharf sees it (never with its password hash). */
public record User(long id, String username, @Nullable String email, @Nullable String realname,
                   @Nullable String comment, boolean sysadmin, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
