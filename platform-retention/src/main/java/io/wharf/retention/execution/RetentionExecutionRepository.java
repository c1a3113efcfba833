package io.wharf.retention.execution;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.util.List;
import java.util.Optional;

interface RetentionExecutionRepository extends JpaRepository<RetentionExecutionEntity, Long> {

    Page<RetentionExecutionEntity> findByPolicyIdOrderByIdDesc(long policyId, Pageable pageable);

    Optional<RetentionExecutionEntity> findByIdAndPolicyId(long id, long policyId);

    List<RetentionExecutionEntity> findByStatusIn(List<String> statuses);

    /** Moves the execution from {@code from} to Running; 0 when another node (or run) has it. */
    @Modifying
    @Query("UPDATE RetentionExecutionEntity e SET e.status = 'Running' WHERE e.id = :id AND e.status = :from")
    int claim(@Param("id") long id, @Param("from") String from);

    @Query("SELECT e.stopRequested FROM RetentionExecutionEntity e WHERE e.id = :id")
    Optional<Boolean> stopRequested(@Param("id") long id);
}
