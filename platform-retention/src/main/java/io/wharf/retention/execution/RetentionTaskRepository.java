package io.wharf.retention.execution;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

interface RetentionTaskRepository extends JpaRepository<RetentionTaskEntity, Long> {

    List<RetentionTaskEntity> findByExecutionIdOrderById(long executionId);

    Optional<RetentionTaskEntity> findByIdAndExecutionId(long id, long executionId);
}
