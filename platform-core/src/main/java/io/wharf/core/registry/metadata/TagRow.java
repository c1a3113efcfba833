package io.wharf.core.registry.metadata;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * A tag as the artifact API shows it.
 *
 * @param pushedAt when the tag was created or last moved
 * @param pulledAt when a client last pulled by this tag, as recorded so far; null when never
 */
public record TagRow(long id, long repositoryId, long manifestId, String name, OffsetDateTime pushedAt,
                     @Nullable OffsetDateTime pulledAt) {

    static TagRow of(TagEntity e) {
        return new TagRow(e.id(), e.repositoryId(), e.manifestId(), e.name(), e.updatedAt(), e.pulledAt());
    }
}
