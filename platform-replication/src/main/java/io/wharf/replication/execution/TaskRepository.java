package io.wharf.replication.execution;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

import java.util.List;

interface TaskRepository extends JpaRepository<TaskEntity, Long> {

    @Query("SELECT t FROM TaskEntity t WHERE t.executionId = :executionId AND (:status IS NULL OR t.status = :status)")
    Page<TaskEntity> search(long executionId, @Nullable String status, Pageable pageable);

    @Query("SELECT DISTINCT t.dstRepository FROM TaskEntity t WHERE t.executionId = :executionId ORDER BY t.dstRepository")
    List<String> dstRepositories(long executionId);

    @Query("SELECT DISTINCT t.srcRepository FROM TaskEntity t WHERE t.executionId = :executionId ORDER BY t.srcRepository")
    List<String> srcRepositories(long executionId);

    @Query("SELECT t.status, COUNT(t) FROM TaskEntity t WHERE t.executionId = :executionId GROUP BY t.status")
    List<Object[]> countByStatus(long executionId);

    @Query("SELECT t.id FROM TaskEntity t WHERE t.executionId = :executionId AND t.status IN ('Pending', 'InProgress') ORDER BY t.id")
    List<Long> unfinished(long executionId);

    @Modifying
    @Query(value = "UPDATE replication_task SET log = log || :line WHERE id = :id", nativeQuery = true)
    void appendLog(long id, String line);

    @Modifying
    @Query("UPDATE TaskEntity t SET t.status = 'Pending', t.error = null, t.endTime = null WHERE t.executionId = :executionId "
        + "AND t.status IN ('Failed', 'Stopped')")
    int retry(long executionId);

    @Modifying
    @Query("UPDATE TaskEntity t SET t.status = 'Stopped' WHERE t.executionId = :executionId AND t.status IN ('Pending', 'InProgress')")
    int stopUnfinished(long executionId);
}
