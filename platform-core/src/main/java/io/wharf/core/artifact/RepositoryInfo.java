package io.wharf.core.artifact;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * A repository as Harbor's API shows it.
 *
 * @param name          the full name, project first ({@code team/app/api})
 * @param artifactCount the manifests it holds, index children included
 * @param pullCount     the manifest pulls recorded so far (recorded in batches, so a pull may take a moment to count)
 * @param updatedAt     the latest of creation, last push, last recorded pull and last description change
 */
public record RepositoryInfo(long id, long projectId, String name, @Nullable String description, long artifactCount,
                             long pullCount, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
