package io.wharf.core.artifact;

import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * An artifact (a manifest of a repository) as Harbor's API shows it.
 *
 * @param type              {@code IMAGE} for images and indexes of images, {@code CHART} for Helm charts, else {@code UNKNOWN}
 * @param mediaType         the config's media type; an index's own media type for indexes
 * @param manifestMediaType the manifest's media type
 * @param artifactType      the manifest's {@code artifactType}, else {@code mediaType}
 * @param size              the manifest's size plus its config and layers; for an index, plus its children's
 * @param pullTime          when it was last pulled, as recorded so far; null when never
 * @param pullCount         how often it was pulled (by tag or digest), as recorded so far; Harbor's artifact has no such field
 * @param tags              its tags by name; empty when not asked for
 * @param references        an index's children with their platforms; empty for other manifests
 * @param extraAttrs        {@code architecture}, {@code os}, {@code variant}, {@code created}, {@code author} and
 *                          {@code config} of an image's config, those it has; empty for other artifacts
 * @param annotations       the manifest's annotations
 */
public record Artifact(long id, String type, Digest digest, long size, String mediaType, String manifestMediaType,
                       String artifactType, long projectId, long repositoryId, String repositoryName,
                       OffsetDateTime pushTime, @Nullable OffsetDateTime pullTime, long pullCount, List<Tag> tags,
                       List<ArtifactReference> references, Map<String, Object> extraAttrs,
                       Map<String, String> annotations) {

    /**
     * A tag of an artifact.
     *
     * @param pushTime when the tag was created or last moved
     * @param pullTime when a client last pulled by this tag, as recorded so far; null when never
     */
    public record Tag(long id, long repositoryId, long artifactId, String name, OffsetDateTime pushTime,
                      @Nullable OffsetDateTime pullTime) {
    }

    /**
     * A child of an index.
     *
     * @param childId  the child's artifact id in the same repository, or null when the repository lacks it
     * @param platform the platform the index names for the child, or null
     */
    public record ArtifactReference(long parentId, @Nullable Long childId, Digest childDigest, @Nullable Platform platform) {
    }

    /** A platform of an index entry; {@code variant} may be null. */
    public record Platform(String os, String architecture, @Nullable String variant) {

        /** Parses {@code os/architecture[/variant]}; null for null or anything else. */
        public static @Nullable Platform parse(@Nullable String value) {
            if (value == null) {
                return null;
            }
            String[] parts = value.split("/", 3);
            if (parts.length < 2) {
                return null;
            }
            return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
        }
    }
}
