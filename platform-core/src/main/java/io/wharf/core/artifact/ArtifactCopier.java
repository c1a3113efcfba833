package io.wharf.core.artifact;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.manifest.Descriptor;
import io.wharf.core.registry.manifest.ManifestParser;
import io.wharf.core.registry.manifest.ParsedManifest;
import io.wharf.core.registry.metadata.ArtifactRow;
import io.wharf.core.registry.metadata.LinkedBlobStore;
import io.wharf.core.registry.metadata.ManifestInfo;
import io.wharf.core.registry.metadata.ManifestStore;
import io.wharf.core.registry.metadata.RepositoryStore;
import io.wharf.core.registry.metadata.TagRow;
import io.wharf.core.registry.metadata.TagStore;
import io.wharf.core.tagrule.ImmutableTags;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a manifest between repositories without moving bytes: the blobs it refers to are linked to
 * the target repository, index children are copied first (those the target lacks), and the manifest
 * is stored by its digest (the blob store sees the digest exists and writes nothing). The copied
 * artifact's tags come along and are moved in the target like a push would; its children's tags do not.
 */
@Component
class ArtifactCopier {

    private final RepositoryStore repositories;
    private final ManifestStore manifests;
    private final LinkedBlobStore links;
    private final TagStore tags;
    private final ImmutableTags immutable;
    private final ManifestParser parser = new ManifestParser();

    ArtifactCopier(RepositoryStore repositories, ManifestStore manifests, LinkedBlobStore links, TagStore tags,
                   ImmutableTags immutable) {
        this.immutable = immutable;
        this.repositories = repositories;
        this.manifests = manifests;
        this.links = links;
        this.tags = tags;
    }

    /**
     * Copies {@code artifact} of repository {@code sourceId} into {@code target}; {@link ErrorCode#CONFLICT} when it
     * has it, {@link ErrorCode#PRECONDITION} when one of the tags that come along exists in the target and is immutable.
     */
    void copy(long sourceId, ArtifactRow artifact, RepositoryName target) {
        long targetId = repositories.getOrCreate(target);
        if (manifests.find(targetId, artifact.manifest().digest()).isPresent()) {
            throw new PlatformException(ErrorCode.CONFLICT,
                "artifact " + artifact.manifest().digest() + " already exists in " + target);
        }
        List<TagRow> sourceTags = tags.tagsOf(List.of(artifact.manifest().id()));
        immutable.requireMutable(target, sourceTags.stream().map(TagRow::name)
            .filter(tag -> tags.find(targetId, tag).isPresent()).toList(), "overwritten");
        ManifestInfo copied = copyManifest(sourceId, artifact.manifest(), targetId);
        for (TagRow tag : sourceTags) {
            tags.tag(targetId, tag.name(), copied.id());
        }
    }

    /**
     * Every digest {@link #copy} would make part of the target, with its size: the manifest, its index
     * children (recursively) and the blobs they refer to (non-distributable layers left out); for the quota.
     */
    Map<Digest, Long> contents(long sourceId, ManifestInfo manifest) {
        Map<Digest, Long> sizes = new LinkedHashMap<>();
        sizes.put(manifest.digest(), manifest.size());
        ParsedManifest parsed = parser.parse(manifests.content(manifest), manifest.mediaType());
        for (Descriptor child : parsed.manifests()) {
            manifests.find(sourceId, child.digest()).ifPresent(found -> sizes.putAll(contents(sourceId, found)));
        }
        if (parsed.config() != null) {
            sizes.put(parsed.config().digest(), parsed.config().size());
        }
        parsed.layers().stream().filter(layer -> layer.urls().isEmpty()).forEach(layer -> sizes.put(layer.digest(), layer.size()));
        return sizes;
    }

    private ManifestInfo copyManifest(long sourceId, ManifestInfo manifest, long targetId) {
        byte[] content = manifests.content(manifest);
        ParsedManifest parsed = parser.parse(content, manifest.mediaType());
        for (Descriptor child : parsed.manifests()) {
            if (manifests.find(targetId, child.digest()).isEmpty()) {
                ManifestInfo sourceChild = manifests.find(sourceId, child.digest())
                    .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "child manifest " + child.digest() + " not found"));
                copyManifest(sourceId, sourceChild, targetId);
            }
        }
        if (parsed.config() != null) {
            link(sourceId, parsed.config(), targetId);
        }
        parsed.layers().forEach(layer -> link(sourceId, layer, targetId));
        return manifests.put(targetId, manifest.digest(), content, parsed);
    }

    private void link(long sourceId, Descriptor blob, long targetId) {
        // non-distributable layers (with urls) need not be in the registry at all
        if (links.stat(sourceId, blob.digest()).isPresent()) {
            links.link(targetId, blob.digest());
        } else if (blob.urls().isEmpty()) {
            throw new PlatformException(ErrorCode.NOT_FOUND, "blob " + blob.digest() + " of the source is missing");
        }
    }
}
