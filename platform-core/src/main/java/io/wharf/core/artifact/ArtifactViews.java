package io.wharf.core.artifact;

import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.manifest.MediaTypes;
import io.wharf.core.registry.metadata.ArtifactRow;
import io.wharf.core.registry.metadata.ManifestInfo;
import io.wharf.core.registry.metadata.ManifestReference;
import io.wharf.core.registry.metadata.ManifestStore;
import io.wharf.core.registry.metadata.TagRow;
import io.wharf.core.registry.metadata.TagStore;
import io.wharf.core.storage.BlobStore;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns stored manifests into {@link Artifact}s: tags, index children with platforms, sizes and the
 * image config's attributes, with a fixed number of queries per page (not per artifact), plus one
 * read of each image config, which is small (configs above {@link #MAX_CONFIG} bytes are not read).
 */
@Component
class ArtifactViews {

    static final long MAX_CONFIG = 1024 * 1024;
    static final Set<String> IMAGE_CONFIGS = Set.of("application/vnd.oci.image.config.v1+json",
        "application/vnd.docker.container.image.v1+json");
    static final String HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json";
    private static final List<String> CONFIG_ATTRIBUTES = List.of("architecture", "os", "variant", "created", "author", "config");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ManifestStore manifests;
    private final TagStore tags;
    private final BlobStore blobs;

    ArtifactViews(ManifestStore manifests, TagStore tags, BlobStore blobs) {
        this.manifests = manifests;
        this.tags = tags;
        this.blobs = blobs;
    }

    /** The artifacts of {@code rows}, all of repository {@code name}, in the same order; with tags when {@code withTag}. */
    List<Artifact> of(long projectId, RepositoryName name, List<ArtifactRow> rows, boolean withTag) {
        if (rows.isEmpty()) {
            return List.of();
        }
        long repositoryId = rows.get(0).repositoryId();
        Map<Long, List<ManifestReference>> references = byManifest(manifests.references(ids(rows)));
        List<Digest> childDigests = references.values().stream().flatMap(List::stream)
            .filter(r -> r.kind().equals(ManifestReference.MANIFEST)).map(ManifestReference::digest).distinct().toList();
        Map<Digest, ArtifactRow> children = manifests.rows(repositoryId, childDigests).stream()
            .collect(Collectors.toMap(r -> r.manifest().digest(), r -> r));
        Map<Long, List<ManifestReference>> childReferences = byManifest(manifests.references(ids(List.copyOf(children.values()))));
        Map<Long, List<TagRow>> tagsByManifest = withTag
            ? tags.tagsOf(ids(rows)).stream().collect(Collectors.groupingBy(TagRow::manifestId))
            : Map.of();
        List<Artifact> artifacts = new ArrayList<>(rows.size());
        for (ArtifactRow row : rows) {
            ManifestInfo m = row.manifest();
            List<ManifestReference> refs = references.getOrDefault(m.id(), List.of());
            ManifestReference config = refs.stream().filter(r -> r.kind().equals(ManifestReference.CONFIG)).findFirst().orElse(null);
            String mediaType = config != null ? config.mediaType() : m.mediaType();
            long size = m.size() + blobSize(refs);
            List<Artifact.ArtifactReference> childList = new ArrayList<>();
            for (ManifestReference ref : refs) {
                if (ref.kind().equals(ManifestReference.MANIFEST)) {
                    ArtifactRow child = children.get(ref.digest());
                    size += child == null ? ref.size()
                        : child.manifest().size() + blobSize(childReferences.getOrDefault(child.manifest().id(), List.of()));
                    childList.add(new Artifact.ArtifactReference(m.id(), child == null ? null : child.manifest().id(), ref.digest(),
                        Artifact.Platform.parse(ref.platform())));
                }
            }
            List<Artifact.Tag> tagList = tagsByManifest.getOrDefault(m.id(), List.of()).stream().map(ArtifactViews::tag).toList();
            artifacts.add(new Artifact(m.id(), type(m.mediaType(), mediaType), m.digest(), size, mediaType, m.mediaType(),
                m.artifactType() != null ? m.artifactType() : mediaType, projectId, repositoryId, name.value(), m.pushedAt(),
                row.pulledAt(), row.pullCount(), tagList, childList, extraAttributes(config), annotations(m.annotations())));
        }
        return artifacts;
    }

    static Artifact.Tag tag(TagRow t) {
        return new Artifact.Tag(t.id(), t.repositoryId(), t.manifestId(), t.name(), t.pushedAt(), t.pulledAt());
    }

    private static String type(String manifestMediaType, String mediaType) {
        if (MediaTypes.INDEXES.contains(manifestMediaType) || IMAGE_CONFIGS.contains(mediaType)) {
            return "IMAGE";
        }
        return HELM_CONFIG.equals(mediaType) ? "CHART" : "UNKNOWN";
    }

    private Map<String, Object> extraAttributes(@Nullable ManifestReference config) {
        if (config == null || !IMAGE_CONFIGS.contains(config.mediaType()) || config.size() > MAX_CONFIG) {
            return Map.of();
        }
        try {
            Map<?, ?> document = JSON.readValue(blobs.read(config.digest()), Map.class);
            Map<String, Object> attributes = new LinkedHashMap<>();
            for (String key : CONFIG_ATTRIBUTES) {
                if (document.get(key) != null) {
                    attributes.put(key, document.get(key));
                }
            }
            return attributes;
        } catch (JacksonException | PlatformException e) {
            // a config that is not JSON or whose bytes are gone leaves the attributes out, as Harbor does
            return Map.of();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> annotations(@Nullable String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, Map.class);
        } catch (JacksonException e) {
            return Map.of();
        }
    }

    private static long blobSize(List<ManifestReference> references) {
        return references.stream().filter(r -> !r.kind().equals(ManifestReference.MANIFEST)).mapToLong(ManifestReference::size).sum();
    }

    private static List<Long> ids(List<ArtifactRow> rows) {
        return rows.stream().map(r -> r.manifest().id()).toList();
    }

    private static Map<Long, List<ManifestReference>> byManifest(List<ManifestReference> references) {
        return references.stream().collect(Collectors.groupingBy(ManifestReference::manifestId));
    }
}
