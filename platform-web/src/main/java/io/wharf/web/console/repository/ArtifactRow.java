package io.wharf.web.console.repository;

import io.wharf.core.artifact.Artifact;
import io.wharf.core.registry.manifest.MediaTypes;
import io.wharf.web.console.Sizes;
import org.jspecify.annotations.Nullable;

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
 * @param scan      its newest scan with the project's scanner; null when never scanned (or not asked)
 */
public record ArtifactRow(Artifact artifact, String digest, String shortDigest, String size, List<String> platforms,
                          String reference, @Nullable ScanCell scan) {

    /** The row of {@code artifact}, without its scan. */
    public static ArtifactRow of(Artifact artifact) {
        return of(artifact, null);
    }

    /** The row of {@code artifact} with its scan. */
    static ArtifactRow of(Artifact artifact, @Nullable ScanCell scan) {
        String digest = artifact.digest().toString();
        int colon = digest.indexOf(':');
        String cut = digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
        List<String> platforms = artifact.references().stream()
            .map(Artifact.ArtifactReference::platform).filter(Objects::nonNull)
            .map(p -> p.os() + "/" + p.architecture() + (p.variant() == null ? "" : "/" + p.variant()))
            .distinct().toList();
        String reference = artifact.tags().isEmpty() ? "@" + digest : ":" + artifact.tags().get(0).name();
        return new ArtifactRow(artifact, digest, cut, Sizes.human(artifact.size()), platforms, reference, scan);
    }

    /** The address of this artifact's deletion (its confirmation page). */
    public String deletePath() {
        return RepositoryPaths.artifactDelete(artifact.repositoryName(), digest);
    }

    /** The address that scans this artifact (a POST). */
    public String scanPath() {
        return RepositoryPaths.scan(artifact.repositoryName(), digest);
    }

    /** The address that stops this artifact's scan (a POST). */
    public String stopScanPath() {
        return RepositoryPaths.stopScan(artifact.repositoryName(), digest);
    }

    /** The address of this artifact's vulnerability report. */
    public String reportPath() {
        return RepositoryPaths.report(artifact.repositoryName(), digest);
    }

    /** Whether a scanner can scan it: an image, or an index of images. */
    public boolean scannable() {
        return MediaTypes.IMAGE_MANIFESTS.contains(artifact.manifestMediaType()) || !artifact.references().isEmpty();
    }

    /** The address of the deletion of this artifact's tag {@code tag} (its confirmation page). */
    public String tagDeletePath(String tag) {
        return RepositoryPaths.tagDelete(artifact.repositoryName(), digest, tag);
    }
}
