package io.wharf.core.registry.metadata;

import org.jspecify.annotations.Nullable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

interface ManifestRepository extends JpaRepository<ManifestEntity, Long> {

    Optional<ManifestEntity> findByRepositoryIdAndDigest(long repositoryId, String digest);

    /** The manifest the tag points at, found by the repository's name: one query for a pull by tag. */
    @Query("SELECT m FROM ManifestEntity m, TagEntity t, RepositoryEntity r "
        + "WHERE r.name = :repository AND t.repositoryId = r.id AND t.name = :tag AND m.id = t.manifestId")
    Optional<ManifestEntity> findByRepositoryNameAndTag(String repository, String tag);

    /** The manifest by digest, found by the repository's name: one query for a pull by digest. */
    @Query("SELECT m FROM ManifestEntity m, RepositoryEntity r WHERE r.name = :repository AND m.repositoryId = r.id AND m.digest = :digest")
    Optional<ManifestEntity> findByRepositoryNameAndDigest(String repository, String digest);

    /** The manifests of the repository whose annotations text matches {@code pattern} (LIKE, {@code !} escapes), oldest first. */
    @Query("SELECT m FROM ManifestEntity m WHERE m.repositoryId = :repositoryId AND m.annotations LIKE :pattern ESCAPE '!' ORDER BY m.id")
    List<ManifestEntity> findByAnnotationsLike(long repositoryId, String pattern);

    /** Inserts the manifest row unless the repository has it (a concurrent push waits for the other to commit). */
    @Modifying
    @Transactional
    @Query(value = "INSERT INTO manifest (repository_id, digest, media_type, size, artifact_type, config_digest, "
        + "subject_digest, annotations, pushed_at, marked_at) VALUES (:repositoryId, :digest, :mediaType, :size, :artifactType, "
        + ":configDigest, :subjectDigest, :annotations, CURRENT_TIMESTAMP, :now) ON CONFLICT DO NOTHING", nativeQuery = true)
    int insertIfAbsent(long repositoryId, String digest, String mediaType, long size, @Nullable String artifactType,
                       @Nullable String configDigest, @Nullable String subjectDigest, @Nullable String annotations,
                       OffsetDateTime now);

    /** Marks the manifest as used now (docs/gc.md), locking its row until the transaction ends; 0 when absent. */
    @Modifying
    @Transactional
    @Query(value = "UPDATE manifest SET marked_at = :now WHERE repository_id = :repositoryId AND digest = :digest",
        nativeQuery = true)
    int mark(long repositoryId, String digest, OffsetDateTime now);

    /** {@link #mark} by row id. */
    @Modifying
    @Transactional
    @Query(value = "UPDATE manifest SET marked_at = :now WHERE id = :id", nativeQuery = true)
    int markById(long id, OffsetDateTime now);

    /**
     * Manifests of every repository without tags, marked before {@code cutoff}, that nothing keeps
     * ({@link #KEPT_BY_NOTHING}) and that are no referrer of a manifest of their repository
     * ({@link #NO_SUBJECT_HERE}); by id after {@code afterId}, at most {@code limit}.
     */
    @Query(value = "SELECT m.id AS id, r.name AS repository, m.digest AS digest "
        + "FROM manifest m JOIN repository r ON r.id = m.repository_id "
        + "WHERE m.marked_at < :cutoff AND m.id > :afterId AND NOT EXISTS (SELECT 1 FROM tag t WHERE t.manifest_id = m.id) AND "
        + KEPT_BY_NOTHING + " AND " + NO_SUBJECT_HERE + " ORDER BY m.id LIMIT :limit", nativeQuery = true)
    List<IdleRow> findUntagged(OffsetDateTime cutoff, long afterId, int limit);

    /**
     * Deletes manifest {@code digest} of the repository only if, when the row is deleted, it still has no
     * tag, was marked before {@code cutoff} and nothing keeps it. One statement: a tag, an index or a
     * referrer pushed meanwhile marks the row, and the delete, re-checking the row it waited for, keeps it.
     */
    @Modifying
    @Transactional
    @Query(value = "DELETE FROM manifest m WHERE m.repository_id = :repositoryId AND m.digest = :digest "
        + "AND m.marked_at < :cutoff AND NOT EXISTS (SELECT 1 FROM tag t WHERE t.manifest_id = m.id) AND "
        + KEPT_BY_NOTHING + " AND " + NO_SUBJECT_HERE, nativeQuery = true)
    int deleteIfUntagged(long repositoryId, String digest, OffsetDateTime cutoff);

    List<ManifestEntity> findByRepositoryIdAndSubjectDigestOrderByDigest(long repositoryId, String subjectDigest);

    /** Whether a manifest of the repository refers to {@code digest} (as config, layer or child). */
    @Query(value = "SELECT COUNT(*) FROM manifest_reference r JOIN manifest m ON m.id = r.manifest_id "
        + "WHERE m.repository_id = :repositoryId AND r.digest = :digest", nativeQuery = true)
    long countReferencesTo(long repositoryId, String digest);

    /**
     * One page of the repository's manifests: all of them ({@code tagMode} 0), those with a tag whose
     * name matches the LIKE {@code tagPattern} escaped with {@code !} (1), or those without tags (2);
     * whose digest matches the LIKE {@code digestPattern} and, unless {@code anyDigest}, is among
     * {@code digests} (a {@link io.wharf.core.TextMatch}).
     */
    @Query(value = "SELECT m FROM ManifestEntity m WHERE " + PAGE_WHERE,
        countQuery = "SELECT COUNT(m) FROM ManifestEntity m WHERE " + PAGE_WHERE)
    Page<ManifestEntity> findPage(long repositoryId, String digestPattern, boolean anyDigest, Collection<String> digests, int tagMode,
                                  String tagPattern, Pageable pageable);

    String PAGE_WHERE = """
        m.repositoryId = :repositoryId
          AND m.digest LIKE :digestPattern ESCAPE '!' AND (:anyDigest = true OR m.digest IN :digests)
          AND (:tagMode = 0
               OR (:tagMode = 1 AND EXISTS (SELECT t FROM TagEntity t WHERE t.manifestId = m.id AND t.name LIKE :tagPattern ESCAPE '!'))
               OR (:tagMode = 2 AND NOT EXISTS (SELECT t2 FROM TagEntity t2 WHERE t2.manifestId = m.id)))""";

    /** The digests of the manifests of the repository that list {@code digest} among their child manifests (indexes), sorted. */
    @Query(value = "SELECT DISTINCT m.digest FROM manifest_reference r JOIN manifest m ON m.id = r.manifest_id "
        + "WHERE m.repository_id = :repositoryId AND r.digest = :digest AND r.kind = 'MANIFEST' ORDER BY m.digest", nativeQuery = true)
    List<String> findParentDigests(long repositoryId, String digest);

    List<ManifestEntity> findByRepositoryIdAndDigestIn(long repositoryId, Collection<String> digests);

    @Query("SELECT m.digest FROM ManifestEntity m WHERE m.repositoryId = :repositoryId ORDER BY m.id")
    List<String> findDigests(long repositoryId);

    /**
     * Manifests of proxy-cache projects (whose project has a registry endpoint) last pulled, or when
     * never pulled stored, before {@code cutoff}, that nothing keeps ({@link #KEPT_BY_NOTHING}); by id
     * after {@code afterId}, at most {@code limit}.
     */
    @Query(value = "SELECT m.id AS id, r.name AS repository, m.digest AS digest "
        + "FROM manifest m JOIN repository r ON r.id = m.repository_id JOIN project p ON p.name = r.project "
        + "WHERE p.registry_id IS NOT NULL AND COALESCE(m.pulled_at, m.pushed_at) < :cutoff AND m.id > :afterId AND "
        + KEPT_BY_NOTHING + " ORDER BY m.id LIMIT :limit", nativeQuery = true)
    List<IdleRow> findIdleCached(OffsetDateTime cutoff, long afterId, int limit);

    /**
     * Deletes manifest {@code digest} of the repository (its tags and references go by cascade) only if,
     * when the row is deleted, it is still idle since before {@code cutoff}, its project is still a proxy
     * cache and nothing keeps it ({@link #KEPT_BY_NOTHING}). One statement: a pull recorded before it
     * runs (or while it waits for the row) keeps the manifest.
     */
    @Modifying
    @Transactional
    @Query(value = "DELETE FROM manifest m WHERE m.repository_id = :repositoryId AND m.digest = :digest "
        + "AND COALESCE(m.pulled_at, m.pushed_at) < :cutoff AND m.repository_id IN (SELECT r.id FROM repository r "
        + "JOIN project p ON p.name = r.project WHERE p.registry_id IS NOT NULL) AND " + KEPT_BY_NOTHING, nativeQuery = true)
    int deleteIfIdle(long repositoryId, String digest, OffsetDateTime cutoff);

    /**
     * No index of the repository lists manifest {@code m} as a child, and no manifest of the repository
     * names it as its subject (a referrer).
     */
    String KEPT_BY_NOTHING = """
        NOT EXISTS (SELECT 1 FROM manifest_reference c JOIN manifest i ON i.id = c.manifest_id
                    WHERE i.repository_id = m.repository_id AND c.kind = 'MANIFEST' AND c.digest = m.digest)
        AND NOT EXISTS (SELECT 1 FROM manifest s WHERE s.repository_id = m.repository_id AND s.subject_digest = m.digest)""";

    /**
     * Manifest {@code m} is no referrer (accessory: a signature, an SBOM) of a manifest its repository
     * has: garbage collection keeps those with their subject, as Harbor does.
     */
    String NO_SUBJECT_HERE = """
        (m.subject_digest IS NULL OR NOT EXISTS (SELECT 1 FROM manifest sub
                                                 WHERE sub.repository_id = m.repository_id AND sub.digest = m.subject_digest))""";

    /** A row of {@link #findIdleCached}. */
    interface IdleRow {
        long getId();

        String getRepository();

        String getDigest();
    }

    /**
     * Adds {@code count} pulls of the manifest; the last pull time only moves forward. An increment, so
     * nodes never overwrite each other.
     */
    @Modifying
    @Transactional
    @Query(value = "UPDATE manifest SET pull_count = pull_count + :count, "
        + "pulled_at = CASE WHEN pulled_at IS NULL OR pulled_at < :at THEN :at ELSE pulled_at END WHERE digest = :digest "
        + "AND repository_id = (SELECT r.id FROM repository r WHERE r.name = :repository)", nativeQuery = true)
    int recordPull(String repository, String digest, long count, OffsetDateTime at);
}
