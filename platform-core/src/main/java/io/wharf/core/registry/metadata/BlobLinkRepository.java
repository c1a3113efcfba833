package io.wharf.core.registry.metadata;

import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;

/** The {@code repository_blob} links: which repository may serve which blob. */
interface BlobLinkRepository extends Repository<RepositoryEntity, Long> {

    @Modifying
    @Transactional
    @Query(value = "INSERT INTO repository_blob (repository_id, digest, created_at) VALUES (:repositoryId, :digest, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING",
        nativeQuery = true)
    int linkIfAbsent(long repositoryId, String digest);

    @Modifying
    @Transactional
    @Query(value = "DELETE FROM repository_blob WHERE repository_id = :repositoryId AND digest = :digest", nativeQuery = true)
    int unlink(long repositoryId, String digest);

    @Query(value = "SELECT b.size FROM blob b JOIN repository_blob l ON l.digest = b.digest "
        + "WHERE l.repository_id = :repositoryId AND b.digest = :digest", nativeQuery = true)
    Optional<Long> findLinkedSize(long repositoryId, String digest);

    /** Repositories (by name) that link {@code digest}, for a mount without {@code from}. */
    @Query(value = "SELECT r.name FROM repository r JOIN repository_blob l ON l.repository_id = r.id "
        + "WHERE l.digest = :digest ORDER BY r.name", nativeQuery = true)
    List<String> findRepositoriesLinking(String digest);

    /**
     * How many repositories of {@code project} link {@code digest} or hold it as a manifest: more than 0
     * when the project holds the digest, so linking it again costs the project nothing.
     */
    @Query(value = "SELECT (SELECT COUNT(*) FROM repository_blob l JOIN repository r ON r.id = l.repository_id "
        + "WHERE r.project = :project AND l.digest = :digest) + (SELECT COUNT(*) FROM manifest m "
        + "JOIN repository r ON r.id = m.repository_id WHERE r.project = :project AND m.digest = :digest)", nativeQuery = true)
    long countInProject(String project, String digest);
}
