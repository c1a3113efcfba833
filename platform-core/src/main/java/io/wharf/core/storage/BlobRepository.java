package io.wharf.core.storage;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

interface BlobRepository extends JpaRepository<BlobEntity, String> {

    @Modifying
    @Transactional
    @Query(value = "INSERT INTO blob (digest, size, created_at, marked_at) VALUES (:digest, :size, :now, :now) ON CONFLICT DO NOTHING",
        nativeQuery = true)
    int insertIfAbsent(String digest, long size, OffsetDateTime now);

    /**
     * Marks the blob as used now (docs/gc.md), taking its row lock until the transaction ends; 0 when
     * there is no such blob (or the collector deleted it while this waited for the lock).
     */
    @Modifying
    @Transactional
    @Query(value = "UPDATE blob SET marked_at = :now WHERE digest = :digest", nativeQuery = true)
    int mark(String digest, OffsetDateTime now);

    /** The blob's size when it exists and was marked at or after {@code since}: no mark needed (docs/gc.md). */
    @Query(value = "SELECT size FROM blob WHERE digest = :digest AND marked_at >= :since", nativeQuery = true)
    Optional<Long> findSizeMarkedSince(String digest, OffsetDateTime since);

    /**
     * Forgets {@code path} as a store object seen without a row (docs/gc.md): what a writer of new blob
     * bytes does before writing them, in the transaction that inserts the row after. When the collector
     * holds that record to delete the object, this waits until the object is gone; once this has run,
     * the collector no longer deletes the object.
     */
    @Modifying
    @Query(value = "DELETE FROM gc_orphan WHERE path = :path", nativeQuery = true)
    int forgetStray(String path);

    /** Locks the records of {@code paths} seen without a row, until the transaction ends; those a writer removed are not returned. */
    @Query(value = "SELECT path FROM gc_orphan WHERE path IN (:paths) FOR UPDATE", nativeQuery = true)
    List<String> lockStray(Collection<String> paths);

    /** The records of {@code paths} seen without a row, unlocked (a dry run). */
    @Query(value = "SELECT path FROM gc_orphan WHERE path IN (:paths)", nativeQuery = true)
    List<String> findStray(Collection<String> paths);

    /** Which of {@code digests} have a row. */
    @Query(value = "SELECT digest FROM blob WHERE digest IN (:digests)", nativeQuery = true)
    List<String> findExisting(Collection<String> digests);

    /** The sum of the sizes of all blobs, each digest counted once; 0 when there are none. */
    @Query("select coalesce(sum(b.size), 0) from BlobEntity b")
    long totalSize();
}
