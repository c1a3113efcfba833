package io.wharf.core.registry.metadata;

import org.jspecify.annotations.Nullable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;

interface ManifestRepository extends JpaRepository<ManifestEntity, Long> {

    Optional<ManifestEntity> findByRepositoryIdAndDigest(long repositoryId, String digest);

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
}
