package io.wharf.scanner.trigger;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * A row of {@code scan_job} with its registration, as the worker and the overview read it.
 *
 * @param status {@code Pending}, {@code Running}, {@code Success}, {@code Error} or {@code Stopped}
 */
public record ScanJob(long id, String uuid, long registrationId, String registrationUuid, String registrationName,
                      boolean registrationDisabled, boolean useInternalAddr, String digest, String repository,
                      String mediaType, @Nullable String tag, String status, @Nullable String triggeredBy,
                      @Nullable String reportType, @Nullable String adapterRequestId, @Nullable String credentialName,
                      int attempts, @Nullable OffsetDateTime deadlineAt, OffsetDateTime createdAt,
                      @Nullable OffsetDateTime startedAt, @Nullable OffsetDateTime finishedAt, @Nullable String log,
                      ScanType scanType) {

    public static final String PENDING = "Pending";
    public static final String RUNNING = "Running";
    public static final String SUCCESS = "Success";
    public static final String ERROR = "Error";
    public static final String STOPPED = "Stopped";

    /** Whether the job still waits or runs. */
    public boolean active() {
        return PENDING.equals(status) || RUNNING.equals(status);
    }
}
