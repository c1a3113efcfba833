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

    /** The manifests of the repository whose annotations text matches {@code pattern} (LIKE, {@code !} escapes), oldest first. */
    @Query("SELECT m FROM ManifestEntity m WHERE m.repositoryId = :repositoryId AND m.annotations LIKE :pattern ESCAPE '!' ORDER BY m.id")
    List<ManifestEntity> findByAnnotationsLike(long repositoryId, String pattern);

    /** Inserts the manifest row unless the repository has it (a concurrent push waits for the other to commit). */
    @Modifying
    @Transactional
    @Query(value = "INSERT INTO manifest (repository_id, digest, media_type, size, artifact_type, config_digest, "
        + "subject_digest, annotations, pushed_at) VALUES (:repositoryId, :digest, :mediaType, :size, :artifactType, "
        + ":configDigest, :subjectDigest, :annotations, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING", nativeQuery = true)
    int insertIfAbsent(long repositoryId, String digest, String mediaType, long size, @Nullable String artifactType,
                       @Nullable String configDigest, @Nullable String subjectDigest, @Nullable String annotations);

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
