package io.wharf.core.registry.metadata;

import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The {@code repository_blob} links: which repository may serve which blob. */
interface BlobLinkRepository extends Repository<RepositoryEntity, Long> {

    @Modifying
    @Transactional
    @Query(value = "INSERT INTO repository_blob (repository_id, digest, created_at, marked_at) VALUES (:repositoryId, :digest, :now, :now) ON CONFLICT DO NOTHING",
        nativeQuery = true)
    int linkIfAbsent(long repositoryId, String digest, OffsetDateTime now);

    /** Marks the link as used now (docs/gc.md), locking its row until the transaction ends; 0 when there is no link. */
    @Modifying
    @Transactional
    @Query(value = "UPDATE repository_blob SET marked_at = :now WHERE repository_id = :repositoryId AND digest = :digest",
        nativeQuery = true)
    int mark(long repositoryId, String digest, OffsetDateTime now);

    /**
     * Deletes the repository's links that no manifest of the repository refers to (as config, layer, or
     * as the manifest itself) and that were last marked before {@code cutoff}. One statement: a push
     * that marks a link before it runs, or while it waits for the row, keeps the link.
     */
    @Modifying
    @Transactional
    @Query(value = "DELETE FROM repository_blob l WHERE l.repository_id = :repositoryId AND l.marked_at < :cutoff "
        + "AND NOT EXISTS (SELECT 1 FROM manifest_reference r JOIN manifest m ON m.id = r.manifest_id "
        + "WHERE m.repository_id = l.repository_id AND r.digest = l.digest) "
        + "AND NOT EXISTS (SELECT 1 FROM manifest m2 WHERE m2.repository_id = l.repository_id AND m2.digest = l.digest)",
        nativeQuery = true)
    int unlinkUnreferenced(long repositoryId, OffsetDateTime cutoff);

    /** The ids of repositories that link any blob, after {@code afterId}, ascending, at most {@code limit}. */
    @Query(value = "SELECT DISTINCT repository_id FROM repository_blob WHERE repository_id > :afterId "
        + "ORDER BY repository_id LIMIT :limit", nativeQuery = true)
    List<Long> findLinkingRepositories(long afterId, int limit);

    @Modifying
    @Transactional
    @Query(value = "DELETE FROM repository_blob WHERE repository_id = :repositoryId AND digest = :digest", nativeQuery = true)
    int unlink(long repositoryId, String digest);

    @Query(value = "SELECT b.size FROM blob b JOIN repository_blob l ON l.digest = b.digest "
        + "WHERE l.repository_id = :repositoryId AND b.digest = :digest", nativeQuery = true)
    Optional<Long> findLinkedSize(long repositoryId, String digest);

    /** {@link #findLinkedSize} by the repository's name: one statement for a blob HEAD or GET. */
    @Query(value = "SELECT b.size FROM repository r JOIN repository_blob l ON l.repository_id = r.id "
        + "JOIN blob b ON b.digest = l.digest WHERE r.name = :repository AND l.digest = :digest", nativeQuery = true)
    Optional<Long> findLinkedSizeByName(String repository, String digest);

    /** {@link #findLinkedSize} when the link was marked at or after {@code since}: no mark needed (docs/gc.md). */
    @Query(value = "SELECT b.size FROM blob b JOIN repository_blob l ON l.digest = b.digest "
        + "WHERE l.repository_id = :repositoryId AND b.digest = :digest AND l.marked_at >= :since", nativeQuery = true)
    Optional<Long> findLinkedSizeMarkedSince(long repositoryId, String digest, OffsetDateTime since);

    /** {@link #findLinkedSizeMarkedSince} for several digests in one query: rows of digest and size. */
    @Query(value = "SELECT b.digest, b.size FROM blob b JOIN repository_blob l ON l.digest = b.digest "
        + "WHERE l.repository_id = :repositoryId AND b.digest IN (:digests) AND l.marked_at >= :since", nativeQuery = true)
    List<Object[]> findLinkedSizesMarkedSince(long repositoryId, Collection<String> digests, OffsetDateTime since);

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
