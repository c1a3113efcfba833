package io.wharf.core.storage;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;

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

    /**
     * Takes the {@code blob-writes} lock shared, until the transaction ends: held by every writer of new
     * blob bytes from their write to the row's insert; the sweep of objects without a row takes it
     * exclusively ({@link #lockWritesExclusive}).
     */
    @Query(value = "SELECT name FROM gc_lock WHERE name = 'blob-writes' FOR SHARE", nativeQuery = true)
    List<String> lockWritesShared();

    /** Takes the {@code blob-writes} lock exclusively, until the transaction ends: no writer is between bytes and row. */
    @Query(value = "SELECT name FROM gc_lock WHERE name = 'blob-writes' FOR UPDATE", nativeQuery = true)
    List<String> lockWritesExclusive();

    /** Which of {@code digests} have a row. */
    @Query(value = "SELECT digest FROM blob WHERE digest IN (:digests)", nativeQuery = true)
    List<String> findExisting(Collection<String> digests);

    /** The sum of the sizes of all blobs, each digest counted once; 0 when there are none. */
    @Query("select coalesce(sum(b.size), 0) from BlobEntity b")
    long totalSize();
}
