package io.wharf.retention.execution;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * One run of a policy.
 *
 * @param status  Harbor's {@code Pending}, {@code Running}, {@code Success}, {@code Error} or {@code Stopped}
 * @param trigger {@code MANUAL} or {@code SCHEDULE}
 * @param endTime null while it runs
 */
public record RetentionExecution(long id, long policyId, String status, String trigger, boolean dryRun, OffsetDateTime startTime,
                                 @Nullable OffsetDateTime endTime) {

    public static final String PENDING = "Pending";
    public static final String RUNNING = "Running";
    public static final String SUCCESS = "Success";
    public static final String ERROR = "Error";
    public static final String STOPPED = "Stopped";
    public static final String MANUAL = "MANUAL";
    public static final String SCHEDULE = "SCHEDULE";

    /** Whether it has ended. */
    public boolean finished() {
        return endTime != null;
    }
}
