package io.wharf.retention.execution;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

interface TaskRepository extends JpaRepository<TaskEntity, Long> {

    List<TaskEntity> findByExecutionIdOrderById(long executionId);

    Optional<TaskEntity> findByIdAndExecutionId(long id, long executionId);
}
