package io.wharf.core.registry.metadata;

import io.wharf.core.LikePatterns;
import io.wharf.core.TextMatch;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.BlobStore;
import io.wharf.core.storage.StoragePaths;
import io.wharf.core.registry.manifest.Descriptor;
import io.wharf.core.registry.manifest.ParsedManifest;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;

import io.wharf.core.registry.RepositoryName;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The manifests of each repository. The exact bytes go to the {@link BlobStore} (so digests
 * round-trip byte for byte); the parsed form is indexed in {@code manifest} and
 * {@code manifest_reference} for reference checks, listing and the referrers API.
 */
@Component
public class ManifestStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ManifestRepository manifests;
    private final ManifestReferenceRepository references;
    private final BlobStore blobStore;
    private final java.time.Clock clock;

    ManifestStore(ManifestRepository manifests, ManifestReferenceRepository references, BlobStore blobStore,
                  java.time.Clock clock) {
        this.manifests = manifests;
        this.references = references;
        this.blobStore = blobStore;
        this.clock = clock;
    }

    /** A manifest found by its repository's name, with the repository's id. */
    public record Located(long repositoryId, ManifestInfo info) {
    }

    /**
     * The manifest the tag points at in the repository named {@code repository}, in one query (the
     * repository, the tag and the manifest joined): a pull's only read of the manifest index.
     */
    @Transactional(readOnly = true)
    public Optional<Located> locateByTag(RepositoryName repository, String tag) {
        return manifests.findByRepositoryNameAndTag(repository.value(), tag).map(ManifestStore::located);
    }

    /** The manifest {@code digest} of the repository named {@code repository}, in one query. */
    @Transactional(readOnly = true)
    public Optional<Located> locateByDigest(RepositoryName repository, Digest digest) {
        return manifests.findByRepositoryNameAndDigest(repository.value(), digest.toString()).map(ManifestStore::located);
    }

    private static Located located(ManifestEntity entity) {
        return new Located(entity.repositoryId(), ManifestInfo.of(entity));
    }

    /** The manifest {@code digest} of the repository, when it has it. */
    @Transactional(readOnly = true)
    public Optional<ManifestInfo> find(long repositoryId, Digest digest) {
        return manifests.findByRepositoryIdAndDigest(repositoryId, digest.toString()).map(ManifestInfo::of);
    }

    /** The exact bytes of a stored manifest. */
    public byte[] content(ManifestInfo manifest) {
        return blobStore.read(manifest.digest());
    }

    /**
     * Stores a validated manifest in the repository; a manifest the repository already has is kept as
     * it is, marked as used now (docs/gc.md). Runs in the caller's transaction.
     */
    @Transactional
    public ManifestInfo put(long repositoryId, Digest digest, byte[] content, ParsedManifest parsed) {
        if (mark(repositoryId, digest)) {
            return ManifestInfo.of(manifests.findByRepositoryIdAndDigest(repositoryId, digest.toString()).orElseThrow());
        }
        blobStore.ingest(digest, (long) content.length, new ByteArrayInputStream(content));
        int inserted = manifests.insertIfAbsent(repositoryId, digest.toString(), parsed.mediaType(), content.length,
            parsed.artifactType(), parsed.config() == null ? null : parsed.config().digest().toString(),
            parsed.subject() == null ? null : parsed.subject().digest().toString(),
            parsed.annotations().isEmpty() ? null : JSON.writeValueAsString(parsed.annotations()), now());
        ManifestEntity entity = manifests.findByRepositoryIdAndDigest(repositoryId, digest.toString()).orElseThrow();
        if (inserted == 0) {
            return ManifestInfo.of(entity);
        }
        int position = 0;
        if (parsed.config() != null) {
            references.save(reference(entity.id(), position++, ManifestReferenceEntity.Kind.CONFIG, parsed.config()));
        }
        for (Descriptor layer : parsed.layers()) {
            references.save(reference(entity.id(), position++, ManifestReferenceEntity.Kind.LAYER, layer));
        }
        for (Descriptor child : parsed.manifests()) {
            references.save(reference(entity.id(), position++, ManifestReferenceEntity.Kind.MANIFEST, child));
        }
        return ManifestInfo.of(entity);
    }

    /**
     * Marks the manifest of the repository as used now (docs/gc.md), locking its row until the caller's
     * transaction ends: what an index push does for each child, and a referrer push for its subject.
     *
     * @return whether the repository has the manifest
     */
    @Transactional
    public boolean mark(long repositoryId, Digest digest) {
        return manifests.mark(repositoryId, digest.toString(), now()) > 0;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }

    /**
     * Manifests of every repository that have no tag, were marked before {@code cutoff} and that nothing
     * keeps (no index of their repository lists them, no referrer names them as its subject); ordered by
     * id, the {@code limit} first after id {@code afterId}. Garbage collection's {@code delete_untagged}.
     */
    @Transactional(readOnly = true)
    public List<IdleManifest> untagged(OffsetDateTime cutoff, long afterId, int limit) {
        return manifests.findUntagged(cutoff, afterId, limit).stream()
            .map(r -> new IdleManifest(r.getId(), RepositoryName.of(r.getRepository()), Digest.parse(r.getDigest())))
            .toList();
    }

    /**
     * Deletes the manifest with its tags and references, like {@link #delete}, only if it is still what
     * {@link #untagged} selects when the row is deleted. Runs in the caller's transaction.
     *
     * @return whether it was deleted
     */
    @Transactional
    public boolean deleteIfUntagged(long repositoryId, Digest digest, OffsetDateTime cutoff) {
        return manifests.deleteIfUntagged(repositoryId, digest.toString(), cutoff) > 0;
    }

    /** Deletes the manifest with its tags and references; returns whether it existed. */
    @Transactional
    public boolean delete(long repositoryId, Digest digest) {
        Optional<ManifestEntity> existing = manifests.findByRepositoryIdAndDigest(repositoryId, digest.toString());
        existing.ifPresent(manifests::delete);
        return existing.isPresent();
    }

    /**
     * Manifests of proxy-cache projects whose last pull (or, never pulled, whose storing) is before
     * {@code cutoff}, that no index of their repository lists as a child and no referrer names as its
     * subject; ordered by id, the {@code limit} first after id {@code afterId}.
     */
    @Transactional(readOnly = true)
    public List<IdleManifest> idleCached(OffsetDateTime cutoff, long afterId, int limit) {
        return manifests.findIdleCached(cutoff, afterId, limit).stream()
            .map(r -> new IdleManifest(r.getId(), RepositoryName.of(r.getRepository()),
                Digest.parse(r.getDigest())))
            .toList();
    }

    /**
     * Deletes the manifest with its tags and references, like {@link #delete}, but only if it is still
     * what {@link #idleCached} selects when the row is deleted: a pull recorded meanwhile, a new index or
     * referrer that refers to it, keeps it. Runs in the caller's transaction.
     *
     * @return whether it was deleted
     */
    @Transactional
    public boolean deleteIfIdle(long repositoryId, Digest digest, OffsetDateTime cutoff) {
        return manifests.deleteIfIdle(repositoryId, digest.toString(), cutoff) > 0;
    }

    /** The manifests of the repository whose subject is {@code subject}, sorted by digest. */
    @Transactional(readOnly = true)
    public List<ManifestInfo> referrers(long repositoryId, Digest subject) {
        return manifests.findByRepositoryIdAndSubjectDigestOrderByDigest(repositoryId, subject.toString()).stream()
            .map(ManifestInfo::of).toList();
    }

    /**
     * One page of the repository's manifests as artifacts, in the order {@code pageable} asks for
     * (properties of the manifest: {@code pushedAt}, {@code id}).
     *
     * @param digests   what the digests must match ({@link TextMatch#ANY} for any)
     * @param tagFilter which tags the manifests must carry
     */
    @Transactional(readOnly = true)
    public Page<ArtifactRow> page(long repositoryId, TextMatch digests, TagFilter tagFilter, Pageable pageable) {
        return manifests.findPage(repositoryId, digests.pattern(), digests.anyValue(), digests.values(), tagFilter.mode(),
            tagFilter.pattern(), pageable).map(ArtifactRow::of);
    }

    /** The indexes of the repository that list manifest {@code digest} as a child, by digest; empty when none does. */
    @Transactional(readOnly = true)
    public List<Digest> parents(long repositoryId, Digest digest) {
        return manifests.findParentDigests(repositoryId, digest.toString()).stream().map(Digest::parse).toList();
    }

    /** The manifest {@code digest} of the repository as an artifact, when it has it. */
    @Transactional(readOnly = true)
    public Optional<ArtifactRow> row(long repositoryId, Digest digest) {
        return manifests.findByRepositoryIdAndDigest(repositoryId, digest.toString()).map(ArtifactRow::of);
    }

    /**
     * The newest manifest of the repository whose annotation {@code key} is {@code value} (a manifest
     * copied from another under a new digest records the source digest so), as an artifact.
     */
    @Transactional(readOnly = true)
    public Optional<ArtifactRow> rowAnnotated(long repositoryId, String key, String value) {
        String pattern = "%" + LikePatterns.escape("\"" + key + "\":\"" + value + "\"") + "%";
        List<ManifestEntity> found = manifests.findByAnnotationsLike(repositoryId, pattern);
        return found.isEmpty() ? Optional.empty() : Optional.of(ArtifactRow.of(found.get(found.size() - 1)));
    }

    /** The manifests of the repository among {@code digests}, as artifacts, in no particular order. */
    @Transactional(readOnly = true)
    public List<ArtifactRow> rows(long repositoryId, Collection<Digest> digests) {
        if (digests.isEmpty()) {
            return List.of();
        }
        return manifests.findByRepositoryIdAndDigestIn(repositoryId, digests.stream().map(Digest::toString).toList())
            .stream().map(ArtifactRow::of).toList();
    }

    /** What the manifests refer to, by manifest and then position. */
    @Transactional(readOnly = true)
    public List<ManifestReference> references(Collection<Long> manifestIds) {
        if (manifestIds.isEmpty()) {
            return List.of();
        }
        return references.findByKeyManifestIdInOrderByKeyManifestIdAscKeyPositionAsc(manifestIds).stream()
            .map(ManifestReferenceEntity::toReference).toList();
    }

    /** The digests of every manifest of the repository, oldest first. */
    @Transactional(readOnly = true)
    public List<Digest> digests(long repositoryId) {
        return manifests.findDigests(repositoryId).stream().map(Digest::parse).toList();
    }

    private static ManifestReferenceEntity reference(long manifestId, int position, ManifestReferenceEntity.Kind kind,
                                                     Descriptor d) {
        return new ManifestReferenceEntity(manifestId, position, kind, d.digest().toString(), d.mediaType(), d.size(),
            d.platform());
    }
}
