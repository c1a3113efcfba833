package io.wharf.retention.execution;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/** A row of {@code retention_execution}. */
@Entity
@Table(name = "retention_execution")
class RetentionExecutionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Nullable Long id;

    @Column(name = "policy_id", nullable = false)
    long policyId;

    @Column(nullable = false)
    String status = "";

    @Column(name = "trigger_kind", nullable = false)
    String trigger = "";

    @Column(name = "dry_run", nullable = false)
    boolean dryRun;

    @Column(name = "stop_requested", nullable = false)
    boolean stopRequested;

    @Column(name = "start_time", nullable = false)
    OffsetDateTime startTime = OffsetDateTime.MIN;

    @Column(name = "end_time")
    @Nullable OffsetDateTime endTime;

    long id() {
        if (id == null) {
            throw new IllegalStateException("not saved");
        }
        return id;
    }

    RetentionExecution view() {
        return new RetentionExecution(id(), policyId, status, trigger, dryRun, startTime, endTime);
    }
}
