package io.wharf.replication.execution;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

@Entity
@Table(name = "replication_task")
class TaskEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "execution_id", nullable = false)
    long executionId;

    @Column(name = "resource_type", nullable = false)
    String resourceType;

    @Column(nullable = false)
    String operation;

    @Column(name = "src_repository", nullable = false)
    String srcRepository;

    @Column(name = "dst_repository", nullable = false)
    String dstRepository;

    @Column(nullable = false)
    String reference;

    @Column
    @Nullable String digest;

    @Column(nullable = false)
    String status;

    @Column(nullable = false)
    long bytes;

    @Column(nullable = false)
    int attempts;

    @Column(name = "start_time")
    @Nullable OffsetDateTime startTime;

    @Column(name = "end_time")
    @Nullable OffsetDateTime endTime;

    @Column
    @Nullable String error;

    @Column(nullable = false)
    String log = "";

    protected TaskEntity() {
    }

    TaskEntity(long executionId, String operation, String srcRepository, String dstRepository, String reference) {
        this.executionId = executionId;
        this.resourceType = "artifact";
        this.operation = operation;
        this.srcRepository = srcRepository;
        this.dstRepository = dstRepository;
        this.reference = reference;
        this.status = TaskStatus.PENDING.id();
    }
}
