package io.wharf.retention.execution;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/** A row of {@code retention_task}: one repository of a run. */
@Entity
@Table(name = "retention_task")
class RetentionTaskEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Nullable Long id;

    @Column(name = "execution_id", nullable = false)
    long executionId;

    @Column(nullable = false)
    String repository = "";

    @Column(nullable = false)
    String status = "";

    @Column(name = "start_time", nullable = false)
    OffsetDateTime startTime = OffsetDateTime.MIN;

    @Column(name = "end_time")
    @Nullable OffsetDateTime endTime;

    @Column(nullable = false)
    int total;

    @Column(nullable = false)
    int retained;

    @Column(nullable = false)
    String log = "";

    RetentionTask view() {
        if (id == null) {
            throw new IllegalStateException("not saved");
        }
        return new RetentionTask(id, executionId, repository, status, startTime, endTime, total, retained);
    }
}
