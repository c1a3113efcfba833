package io.wharf.core.registry.metadata;

import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * A stored manifest of a repository, as indexed.
 *
 * @param annotations the manifest's annotations as a JSON object text, or null when it has none
 */
public record ManifestInfo(long id, Digest digest, String mediaType, long size, @Nullable String artifactType,
                           @Nullable String annotations, @Nullable Digest subject, OffsetDateTime pushedAt) {

    static ManifestInfo of(ManifestEntity e) {
        return new ManifestInfo(e.id(), Digest.parse(e.digest()), e.mediaType(), e.size(), e.artifactType(),
            e.annotations(), e.subjectDigest() == null ? null : Digest.parse(e.subjectDigest()), e.pushedAt());
    }
}
