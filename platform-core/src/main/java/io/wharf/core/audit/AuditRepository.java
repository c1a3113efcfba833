package io.wharf.core.audit;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;

interface AuditRepository extends JpaRepository<AuditEntity, Long>, JpaSpecificationExecutor<AuditEntity> {

    List<AuditEntity> findByOrderByIdDesc(Pageable pageable);

    /**
     * Per operation of {@code operations} and per day, the number of entries in [{@code from}, {@code to}):
     * rows of the operation, the day as days since 1970-01-01 (UTC, whatever the session's time zone)
     * and the count; of every project when {@code everything}, else of {@code projects}.
     */
    @Query(value = "SELECT operation, FLOOR(EXTRACT(EPOCH FROM occurred_at) / 86400) AS epoch_day, COUNT(*) FROM audit_log "
        + "WHERE operation IN (:operations) AND occurred_at >= :from AND occurred_at < :to "
        + "AND (:everything = TRUE OR project IN (:projects)) "
        + "GROUP BY operation, FLOOR(EXTRACT(EPOCH FROM occurred_at) / 86400)", nativeQuery = true)
    List<Object[]> countPerDay(Collection<String> operations, OffsetDateTime from, OffsetDateTime to, boolean everything,
                               Collection<String> projects);

    /** The newest entries of {@code operation}: of every project when {@code everything}, else of {@code projects}. */
    @Query("SELECT a FROM AuditEntity a WHERE a.operation = :operation AND (:everything = true OR a.project IN :projects) "
        + "ORDER BY a.occurredAt DESC, a.id DESC")
    List<AuditEntity> findNewest(String operation, boolean everything, Collection<String> projects, Pageable pageable);
}
