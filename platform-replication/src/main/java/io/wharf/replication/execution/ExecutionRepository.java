package io.wharf.replication.execution;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ExecutionRepository extends JpaRepository<ExecutionEntity, Long> {

    @Query("SELECT e FROM ExecutionEntity e WHERE (:policyId IS NULL OR e.policyId = :policyId)"
        + " AND (:status IS NULL OR e.status = :status) AND (:trigger IS NULL OR e.trigger = :trigger)")
    Page<ExecutionEntity> search(@Nullable Long policyId, @Nullable String status, @Nullable String trigger, Pageable pageable);

    @Modifying
    @Query("UPDATE ExecutionEntity e SET e.stopRequested = true WHERE e.id = :id AND e.status = 'InProgress'")
    int requestStop(long id);

    @Query("SELECT e.id FROM ExecutionEntity e WHERE e.status = :status ORDER BY e.id")
    java.util.List<Long> findIdsByStatus(String status);

    @Query("SELECT e.stopRequested FROM ExecutionEntity e WHERE e.id = :id")
    boolean stopRequested(long id);
}
