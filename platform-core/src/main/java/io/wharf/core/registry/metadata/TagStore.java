package io.wharf.core.registry.metadata;

import io.wharf.core.TextMatch;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Tags: names that point at one manifest of their repository. */
@Component
public class TagStore {

    private final TagRepository tags;
    private final ManifestRepository manifests;

    private final java.time.Clock clock;

    TagStore(TagRepository tags, ManifestRepository manifests, java.time.Clock clock) {
        this.clock = clock;
        this.tags = tags;
        this.manifests = manifests;
    }

    /** The manifest the tag points at, when the repository has the tag. */
    @Transactional(readOnly = true)
    public Optional<ManifestInfo> resolve(long repositoryId, String tag) {
        return tags.findByRepositoryIdAndName(repositoryId, tag)
            .flatMap(t -> manifests.findById(t.manifestId()))
            .map(ManifestInfo::of);
    }

    /** Points the tag at the manifest, creating it when missing (safe under concurrent callers). */
    @Transactional
    public void tag(long repositoryId, String tag, long manifestId) {
        markManifest(manifestId);
        if (tags.insertIfAbsent(repositoryId, tag, manifestId) == 0) {
            tags.repoint(repositoryId, tag, manifestId);
        }
    }

    /**
     * Marks the manifest as used (docs/gc.md) before a tag points at it, so that the collector's delete
     * of an untagged manifest, waiting for this transaction, finds it marked and keeps it (the tag's own
     * row alone would not stop a delete already under way, which would take the new tag with it).
     */
    private void markManifest(long manifestId) {
        if (manifests.markById(manifestId, java.time.OffsetDateTime.now(clock)) == 0) {
            throw new io.wharf.core.error.PlatformException(io.wharf.core.error.ErrorCode.MANIFEST_UNKNOWN,
                "the manifest was deleted meanwhile");
        }
    }

    /** Removes the tag; returns whether it existed. The manifest stays. */
    @Transactional
    public boolean delete(long repositoryId, String tag) {
        return tags.deleteByName(repositoryId, tag) > 0;
    }

    /**
     * At most {@code limit} tag names of the repository greater than {@code after}, sorted by code point
     * (the spec's lexical order; see {@link RepositoryStore#names} for how both databases agree on it).
     *
     * @param after the empty string to start at the beginning
     */
    @Transactional(readOnly = true)
    public List<String> names(long repositoryId, String after, int limit) {
        return tags.findNamesAfter(repositoryId, after, limit);
    }

    /**
     * Creates the tag on the manifest unless the repository has it already.
     *
     * @return whether it was created (false: the name is taken, wherever it points)
     */
    @Transactional
    public boolean create(long repositoryId, String tag, long manifestId) {
        markManifest(manifestId);
        return tags.insertIfAbsent(repositoryId, tag, manifestId) > 0;
    }

    /** The tag of the repository, when it exists. */
    @Transactional(readOnly = true)
    public Optional<TagRow> find(long repositoryId, String tag) {
        return tags.findByRepositoryIdAndName(repositoryId, tag).map(TagRow::of);
    }

    /** The tags of the manifests, by name. */
    @Transactional(readOnly = true)
    public List<TagRow> tagsOf(Collection<Long> manifestIds) {
        if (manifestIds.isEmpty()) {
            return List.of();
        }
        return tags.findByManifestIdInOrderByName(manifestIds).stream().map(TagRow::of).toList();
    }

    /**
     * One page of the manifest's tags whose names match {@code names}, in the order {@code pageable}
     * asks for ({@code name}, {@code updatedAt}, {@code id}).
     */
    @Transactional(readOnly = true)
    public Page<TagRow> page(long manifestId, TextMatch names, Pageable pageable) {
        return tags.findPage(manifestId, names.pattern(), names.anyValue(), names.values(), pageable).map(TagRow::of);
    }
}
