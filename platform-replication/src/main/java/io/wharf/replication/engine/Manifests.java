package io.wharf.replication.engine;

import io.wharf.core.artifact.ArtifactService;
import io.wharf.core.registry.metadata.ManifestInfo;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Media types the engine asks for, and the mark a platform-filtered index carries of its source. */
final class Manifests {

    /** Every manifest type, as a client that understands indexes asks (a registry then never substitutes one platform). */
    static final List<String> ACCEPT = List.of(
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json");

    /**
     * The annotation a platform-filtered index carries with the digest of the index it was cut from,
     * so that the next run recognises an unchanged source without fetching it.
     */
    static final String SOURCE_DIGEST = ArtifactService.SOURCE_DIGEST;

    private static final Set<String> IMAGE_CONFIGS = Set.of("application/vnd.oci.image.config.v1+json",
        "application/vnd.docker.container.image.v1+json");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Manifests() {
    }

    /** Whether {@code document} is a container image (not a Helm chart, a signature or another artifact). */
    static boolean isImage(ManifestDocument document) {
        return !document.blobs().isEmpty() && IMAGE_CONFIGS.contains(document.blobs().get(0).mediaType());
    }

    /** The source digest a platform-filtered index records, if {@code stored} is one. */
    static Optional<String> sourceDigest(ManifestInfo stored) {
        return Optional.ofNullable(stored.annotations()).map(Manifests::annotation);
    }

    private static @Nullable String annotation(String annotations) {
        JsonNode value = JSON.readTree(annotations).get(SOURCE_DIGEST);
        return value == null ? null : value.asString();
    }

    /** {@code index} annotated with {@link #SOURCE_DIGEST}. */
    static ManifestDocument withSourceDigest(ManifestDocument index, String sourceDigest) {
        ObjectNode root = (ObjectNode) JSON.readTree(index.bytes());
        ObjectNode annotations = root.has("annotations") && root.get("annotations").isObject()
            ? (ObjectNode) root.get("annotations") : root.putObject("annotations");
        annotations.put(SOURCE_DIGEST, sourceDigest);
        return new ManifestDocument(index.mediaType(), JSON.writeValueAsBytes(root), index.blobs(), index.children());
    }
}
