package io.wharf.core.storage;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;

interface BlobRepository extends JpaRepository<BlobEntity, String> {

    @Modifying
    @Transactional
    @Query(value = "INSERT INTO blob (digest, size, created_at) VALUES (:digest, :size, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING",
        nativeQuery = true)
    int insertIfAbsent(String digest, long size);

    /** The sum of the sizes of all blobs, each digest counted once; 0 when there are none. */
    @Query("select coalesce(sum(b.size), 0) from BlobEntity b")
    long totalSize();
}
