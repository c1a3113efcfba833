package io.wharf.core.registry.metadata;

import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;

/** The garbage collector's view of {@code blob}: rows no link and no manifest names (docs/gc.md). */
interface UnreferencedBlobRepository extends Repository<RepositoryEntity, Long> {

    String UNREFERENCED = "b.marked_at < :cutoff "
        + "AND NOT EXISTS (SELECT 1 FROM repository_blob l WHERE l.digest = b.digest) "
        + "AND NOT EXISTS (SELECT 1 FROM manifest m WHERE m.digest = b.digest)";

    /** Locks up to {@code limit} unreferenced blobs that no other transaction holds. */
    @Query(value = "SELECT b.digest FROM blob b WHERE " + UNREFERENCED + " ORDER BY b.digest LIMIT :limit FOR UPDATE SKIP LOCKED",
        nativeQuery = true)
    List<String> lockUnreferenced(OffsetDateTime cutoff, int limit);

    /** Which of {@code digests} are unreferenced still, seen by a new statement (after the locks were granted). */
    @Query(value = "SELECT b.digest AS digest, b.size AS size FROM blob b WHERE b.digest IN (:digests) AND " + UNREFERENCED,
        nativeQuery = true)
    List<Row> stillUnreferenced(Collection<String> digests, OffsetDateTime cutoff);

    @Modifying
    @Query(value = "DELETE FROM blob WHERE digest IN (:digests)", nativeQuery = true)
    int delete(Collection<String> digests);

    /** A blob and its size. */
    interface Row {
        String getDigest();

        long getSize();
    }
}
