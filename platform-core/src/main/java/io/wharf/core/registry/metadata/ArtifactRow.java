package io.wharf.core.registry.metadata;

import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * A stored manifest with what the artifact API shows beyond the registry's index.
 *
 * @param config   the config blob of an image manifest, else null
 * @param pulledAt when it was last pulled, as recorded so far; null when never
 * @param pullCount how often it was pulled, as recorded so far
 */
public record ArtifactRow(ManifestInfo manifest, long repositoryId, @Nullable Digest config,
                          @Nullable OffsetDateTime pulledAt, long pullCount) {

    static ArtifactRow of(ManifestEntity e) {
        return new ArtifactRow(ManifestInfo.of(e), e.repositoryId(),
            e.configDigest() == null ? null : Digest.parse(e.configDigest()), e.pulledAt(), e.pullCount());
    }
}
