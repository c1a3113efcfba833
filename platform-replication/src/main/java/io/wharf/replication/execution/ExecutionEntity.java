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
@Table(name = "replication_execution")
class ExecutionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "policy_id", nullable = false)
    long policyId;

    @Column(name = "trigger_type", nullable = false)
    String trigger;

    @Column(nullable = false)
    String status;

    @Column(name = "status_text")
    @Nullable String statusText;

    @Column(nullable = false)
    boolean planned;

    @Column(name = "stop_requested", nullable = false)
    boolean stopRequested;

    @Column(name = "paused_until")
    @Nullable OffsetDateTime pausedUntil;

    @Column(name = "start_time", nullable = false)
    OffsetDateTime startTime;

    @Column(name = "end_time")
    @Nullable OffsetDateTime endTime;

    protected ExecutionEntity() {
    }

    ExecutionEntity(long policyId, String trigger, OffsetDateTime now) {
        this.policyId = policyId;
        this.trigger = trigger;
        this.status = ExecutionStatus.IN_PROGRESS.id();
        this.startTime = now;
    }
}
