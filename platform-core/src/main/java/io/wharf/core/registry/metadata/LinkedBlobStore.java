package io.wharf.core.registry.metadata;

import io.wharf.core.gc.GcProperties;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.BlobInfo;
import io.wharf.core.storage.BlobStore;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The links that let a repository serve a blob. A repository serves only what is linked to it. */
@Component
public class LinkedBlobStore {

    private final BlobLinkRepository blobs;
    private final ManifestRepository manifests;
    private final BlobStore blobStore;
    private final Clock clock;

    /** A mark younger than this is not renewed ({@link GcProperties#markFreshness()}). */
    private final Duration markFreshness;

    LinkedBlobStore(BlobLinkRepository blobs, ManifestRepository manifests, BlobStore blobStore, Clock clock, GcProperties gc) {
        this.markFreshness = gc.markFreshness();
        this.blobs = blobs;
        this.manifests = manifests;
        this.blobStore = blobStore;
        this.clock = clock;
    }

    /** The blob, when it is linked to the repository. */
    @Transactional(readOnly = true)
    public Optional<BlobInfo> stat(long repositoryId, Digest digest) {
        return blobs.findLinkedSize(repositoryId, digest.toString()).map(size -> new BlobInfo(digest, size));
    }

    /** The blob, when it is linked to repository {@code name}: one query, for the reads of blobs. */
    @Transactional(readOnly = true)
    public Optional<BlobInfo> stat(RepositoryName name, Digest digest) {
        return blobs.findLinkedSizeByName(name.value(), digest.toString()).map(size -> new BlobInfo(digest, size));
    }

    /**
     * Links an existing blob to the repository (idempotent), marking blob and link as used now
     * (docs/gc.md).
     *
     * @return false when the blob is not stored (or the collector deleted it meanwhile): nothing is linked
     */
    @Transactional
    public boolean link(long repositoryId, Digest digest) {
        if (blobStore.claim(digest).isEmpty()) {
            return false;
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (fresh(repositoryId, digest, now).isPresent()) {
            return true; // linked and marked lately (docs/gc.md)
        }
        if (blobs.mark(repositoryId, digest.toString(), now) == 0) {
            blobs.linkIfAbsent(repositoryId, digest.toString(), now);
        }
        return true;
    }

    /**
     * The linked blob, marked as used now (docs/gc.md) and locked until the caller's transaction ends:
     * what a manifest push relies on for each config and layer.
     */
    @Transactional
    public Optional<BlobInfo> mark(long repositoryId, Digest digest) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        Optional<BlobInfo> fresh = fresh(repositoryId, digest, now);
        if (fresh.isPresent()) {
            return fresh; // marked lately: no write and no lock, so pushes over one base layer do not queue (docs/gc.md)
        }
        return markNow(repositoryId, digest, now);
    }

    /**
     * {@link #mark} for the config and layers of a manifest push: the links marked lately (nearly always
     * all of them, just pushed) are read in one query whatever the number of layers; the others are
     * marked one by one.
     *
     * @return the linked blobs by digest; a digest the repository does not link is absent
     */
    @Transactional
    public Map<Digest, BlobInfo> markAll(long repositoryId, Collection<Digest> digests) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        Set<Digest> wanted = new LinkedHashSet<>(digests);
        Map<Digest, BlobInfo> found = new HashMap<>();
        if (!markFreshness.isZero() && !wanted.isEmpty()) {
            List<String> names = wanted.stream().map(Digest::toString).toList();
            for (Object[] row : blobs.findLinkedSizesMarkedSince(repositoryId, names, now.minus(markFreshness))) {
                Digest digest = Digest.parse((String) row[0]);
                found.put(digest, new BlobInfo(digest, ((Number) row[1]).longValue()));
            }
        }
        for (Digest digest : wanted) {
            if (!found.containsKey(digest)) {
                markNow(repositoryId, digest, now).ifPresent(blob -> found.put(digest, blob));
            }
        }
        return found;
    }

    private Optional<BlobInfo> markNow(long repositoryId, Digest digest, OffsetDateTime now) {
        if (blobs.mark(repositoryId, digest.toString(), now) == 0) {
            return Optional.empty();
        }
        return stat(repositoryId, digest);
    }

    /** The linked blob when its link was marked within {@link GcProperties#markFreshness()}. */
    private Optional<BlobInfo> fresh(long repositoryId, Digest digest, OffsetDateTime now) {
        if (markFreshness.isZero()) {
            return Optional.empty();
        }
        return blobs.findLinkedSizeMarkedSince(repositoryId, digest.toString(), now.minus(markFreshness))
            .map(size -> new BlobInfo(digest, size));
    }

    /**
     * Removes the repository's links that no manifest of the repository refers to and that were marked
     * before {@code cutoff} (docs/gc.md).
     *
     * @return how many links were removed
     */
    @Transactional
    public int unlinkUnreferenced(long repositoryId, OffsetDateTime cutoff) {
        return blobs.unlinkUnreferenced(repositoryId, cutoff);
    }

    /** Ids of repositories that link blobs, ascending, after {@code afterId}: how the collector walks them. */
    @Transactional(readOnly = true)
    public List<Long> linkingRepositories(long afterId, int limit) {
        return blobs.findLinkingRepositories(afterId, limit);
    }

    /** Removes the link; returns whether there was one. The bytes stay for garbage collection. */
    @Transactional
    public boolean unlink(long repositoryId, Digest digest) {
        return blobs.unlink(repositoryId, digest.toString()) > 0;
    }

    /** Whether a manifest of the repository refers to the blob. */
    @Transactional(readOnly = true)
    public boolean isReferenced(long repositoryId, Digest digest) {
        return manifests.countReferencesTo(repositoryId, digest.toString()) > 0;
    }

    /** The repositories that link the blob, sorted by name. */
    @Transactional(readOnly = true)
    public List<RepositoryName> repositoriesLinking(Digest digest) {
        return blobs.findRepositoriesLinking(digest.toString()).stream().map(RepositoryName::new).toList();
    }

    /** Whether a repository of {@code project} links the blob or holds it as a manifest. */
    @Transactional(readOnly = true)
    public boolean heldInProject(String project, Digest digest) {
        return blobs.countInProject(project, digest.toString()) > 0;
    }
}
