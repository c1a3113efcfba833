package io.wharf.web.console.repository;

import io.wharf.core.artifact.Artifact;
import io.wharf.web.console.Sizes;

import java.util.List;
import java.util.Objects;

/**
 * An artifact as the repository page lists it.
 *
 * @param artifact  the artifact, with its tags
 * @param digest    its full digest
 * @param shortDigest the digest cut for reading ({@code sha256:} and 12 hex digits)
 * @param size      its size, human-readable
 * @param platforms for an index, its children's platforms ({@code linux/arm64/v8}); empty otherwise
 * @param reference what a pull names: {@code :<first tag>}, or {@code @<digest>} when untagged
 */
public record ArtifactRow(Artifact artifact, String digest, String shortDigest, String size, List<String> platforms,
                          String reference) {

    /** The row of {@code artifact}. */
    public static ArtifactRow of(Artifact artifact) {
        String digest = artifact.digest().toString();
        int colon = digest.indexOf(':');
        String cut = digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
        List<String> platforms = artifact.references().stream()
            .map(Artifact.ArtifactReference::platform).filter(Objects::nonNull)
            .map(p -> p.os() + "/" + p.architecture() + (p.variant() == null ? "" : "/" + p.variant()))
            .distinct().toList();
        String reference = artifact.tags().isEmpty() ? "@" + digest : ":" + artifact.tags().get(0).name();
        return new ArtifactRow(artifact, digest, cut, Sizes.human(artifact.size()), platforms, reference);
    }

    /** The address of this artifact's deletion (its confirmation page). */
    public String deletePath() {
        return RepositoryPaths.artifactDelete(artifact.repositoryName(), digest);
    }

    /** The address of the deletion of this artifact's tag {@code tag} (its confirmation page). */
    public String tagDeletePath(String tag) {
        return RepositoryPaths.tagDelete(artifact.repositoryName(), digest, tag);
    }
}
