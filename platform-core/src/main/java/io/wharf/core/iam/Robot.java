package io.wharf.core.iam;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;

/**
 * A robot account as the rest of Wharf sees it.
 *
 * @param level       {@code system} or {@code project}
 * @param duration    lifetime in days from creation, -1 for never expiring
 * @param permissions project name ({@code *} for every project) to the repository actions allowed there
 */
public record Robot(long id, String name, @Nullable String description, String level, @Nullable Long projectId,
                    boolean disabled, int duration, @Nullable OffsetDateTime expiresAt, OffsetDateTime createdAt,
                    OffsetDateTime updatedAt, Map<String, Set<String>> permissions) {

    /** The name prefix of every robot account. */
    public static final String PREFIX = "robot$";

    /** Whether the robot may be used at {@code now}: not disabled and not expired. */
    public boolean isActiveAt(java.time.Instant now) {
        return !disabled && (expiresAt == null || expiresAt.toInstant().isAfter(now));
    }
}
