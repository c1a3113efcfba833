package io.wharf.core.iam;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Harbor's CVE allowlist: vulnerability ids the pull policy ignores, until {@code expiresAt} (Unix
 * seconds; null for never). Project 0 is the system's list.
 *
 * @param creationTime null for a list never saved (empty)
 */
public record CveAllowlist(long projectId, List<String> items, @Nullable Long expiresAt,
                           @Nullable OffsetDateTime creationTime, @Nullable OffsetDateTime updateTime) {

    /** The project id of the system's list. */
    public static final long SYSTEM = 0;

    public CveAllowlist {
        items = List.copyOf(items);
    }

    /** Whether the list applies at {@code now}: it has not expired. */
    public boolean activeAt(Instant now) {
        return expiresAt == null || now.getEpochSecond() < expiresAt;
    }
}
