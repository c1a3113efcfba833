package io.wharf.core.registry.storage;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.Optional;

interface ManifestRepository extends JpaRepository<ManifestEntity, Long> {

    Optional<ManifestEntity> findByRepositoryIdAndDigest(long repositoryId, String digest);

    List<ManifestEntity> findByRepositoryIdAndSubjectDigestOrderByDigest(long repositoryId, String subjectDigest);

    /** Whether a manifest of the repository refers to {@code digest} (as config, layer or child). */
    @Query(value = "SELECT COUNT(*) FROM manifest_reference r JOIN manifest m ON m.id = r.manifest_id "
        + "WHERE m.repository_id = :repositoryId AND r.digest = :digest", nativeQuery = true)
    long countReferencesTo(long repositoryId, String digest);
}
