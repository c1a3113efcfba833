package io.wharf.core.quota;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * A project's storage quota as Harbor's {@code Quota} shows it (reference {@code project}).
 *
 * @param id        the quota's own id (not the project's)
 * @param ownerName the project owner's user name, or null when the project has none
 * @param hard      the limit in bytes, {@link #UNLIMITED} for none
 * @param used      the bytes the project holds: the distinct blobs and manifests of its repositories,
 *                  each digest counted once
 */
public record Quota(long id, long projectId, String project, @Nullable String ownerName, long hard, long used,
                    OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    /** Harbor's value for "no limit". */
    public static final long UNLIMITED = -1;

    /** Whether the project has a limit. */
    public boolean limited() {
        return hard != UNLIMITED;
    }
}
