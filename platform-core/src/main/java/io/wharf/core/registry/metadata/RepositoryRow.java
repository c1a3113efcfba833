package io.wharf.core.registry.metadata;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * A repository with what listings show of it.
 *
 * @param artifactCount the number of manifests it holds (index children included)
 * @param pullCount     the manifest pulls recorded so far
 * @param updatedAt     the latest of its creation, its last push, its last recorded pull and the last
 *                      change of its description
 */
public record RepositoryRow(long id, String name, @Nullable String description, long artifactCount, long pullCount,
                            OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    /** The row as the query reads it; {@code lastPush} is null while the repository holds no manifest. */
    RepositoryRow(Long id, String name, @Nullable String description, Long artifactCount, Long pullCount,
                  OffsetDateTime createdAt, OffsetDateTime updatedAt, @Nullable OffsetDateTime lastPush) {
        this(id, name, description, artifactCount, pullCount, createdAt,
            lastPush != null && lastPush.isAfter(updatedAt) ? lastPush : updatedAt);
    }
}
