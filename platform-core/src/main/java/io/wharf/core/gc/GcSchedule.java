package io.wharf.core.gc;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.schedule.CronSchedule;
import io.wharf.core.schedule.HarborSchedule;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The collection's schedule, in Harbor's words: {@code type} {@code None} (no schedule), {@code Hourly},
 * {@code Daily}, {@code Weekly} or {@code Custom} with its {@code cron} (six fields, seconds first, UTC).
 *
 * @param cron the cron expression in Harbor's dialect; null for {@code None}
 */
public record GcSchedule(String type, @Nullable String cron, GcParameters parameters,
                         @Nullable OffsetDateTime createdAt, @Nullable OffsetDateTime updatedAt) {

    /** The types a collection's schedule takes ({@code Manual} is a run, not a schedule). */
    private static final List<String> TYPES = List.of("Hourly", "Daily", "Weekly", "Custom", "None");

    /** No schedule. */
    public static final GcSchedule NONE = new GcSchedule("None", null, GcParameters.DEFAULT, null, null);

    /**
     * A schedule of {@code type}; the fixed types take their own cron, {@code Custom} needs {@code cron}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for another type or a bad cron
     */
    public static GcSchedule of(@Nullable String type, @Nullable String cron, GcParameters parameters) {
        String normalized = type == null ? null : TYPES.stream().filter(t -> t.equalsIgnoreCase(type)).findFirst()
            .orElseThrow(() -> new PlatformException(ErrorCode.INVALID_ARGUMENT,
                "schedule.type must be Manual, Hourly, Daily, Weekly, Custom or None, not " + type));
        // Harbor's schedule rules (core's one reading of them); the fixed types keep their own cron
        HarborSchedule schedule = HarborSchedule.of(normalized, "Custom".equals(normalized) ? cron : null);
        return new GcSchedule(schedule.type(), schedule.cron(), parameters, null, null);
    }

    /** The cron trigger Quartz runs, in its dialect; null for {@code None}. */
    public @Nullable String quartzCron() {
        return cron == null ? null : CronSchedule.toQuartz(cron);
    }
}
