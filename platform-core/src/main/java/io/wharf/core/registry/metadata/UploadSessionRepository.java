package io.wharf.core.registry.metadata;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

interface UploadSessionRepository extends JpaRepository<UploadSessionEntity, UUID> {

    /** Compare-and-set of the session's progress: succeeds only when nobody else advanced it since {@code expectedSize}. */
    @Modifying
    @Transactional
    @Query(value = "UPDATE upload_session SET size = :newSize, chunks = :chunks, updated_at = CURRENT_TIMESTAMP "
        + "WHERE id = :id AND size = :expectedSize", nativeQuery = true)
    int advance(UUID id, long expectedSize, long newSize, String chunks);

    /** Takes the session for completion: succeeds for exactly one caller, and only at {@code size}. */
    @Modifying
    @Transactional
    @Query(value = "DELETE FROM upload_session WHERE id = :id AND size = :size", nativeQuery = true)
    int claim(UUID id, long size);

    @Query("select u.id from UploadSessionEntity u where u.updatedAt < :cutoff")
    List<UUID> findStale(OffsetDateTime cutoff);

    @Modifying
    @Transactional
    @Query(value = "DELETE FROM upload_session WHERE id = :id", nativeQuery = true)
    int deleteSession(UUID id);
}
