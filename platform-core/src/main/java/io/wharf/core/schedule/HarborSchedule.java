package io.wharf.core.schedule;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Harbor's schedule object ({@code {"type","cron","next_scheduled_time"}}) of the system jobs (scan
 * all, garbage collection): {@code Hourly}, {@code Daily}, {@code Weekly} (each with its usual cron
 * when none is given), {@code Custom} (and Harbor's {@code Schedule}) with a cron, {@code Manual} (run
 * once, now) and {@code None} (no schedule). Crons are Harbor's dialect ({@link CronSchedule}).
 *
 * @param nextScheduledTime when a stored schedule fires next; null for one being requested
 */
public record HarborSchedule(String type, @Nullable String cron, @Nullable Instant nextScheduledTime) {

    /** The types Harbor's API takes. */
    public static final List<String> TYPES = List.of("Hourly", "Daily", "Weekly", "Custom", "Manual", "None", "Schedule");

    /**
     * A requested schedule, checked.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for an unknown type, a periodic type
     *                           whose cron cannot run, or {@code Custom} without a cron
     */
    public static HarborSchedule of(@Nullable String type, @Nullable String cron) {
        if (type == null || !TYPES.contains(type)) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "schedule.type must be one of " + TYPES + ", not " + type);
        }
        String given = cron == null || cron.isBlank() ? null : cron.trim();
        String effective = switch (type) {
            case "Hourly" -> given != null ? given : "0 0 * * * *";
            case "Daily" -> given != null ? given : "0 0 0 * * *";
            case "Weekly" -> given != null ? given : "0 0 0 * * 0";
            case "Custom", "Schedule" -> {
                if (given == null) {
                    throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "schedule.cron is required for type " + type);
                }
                yield given;
            }
            default -> null;
        };
        if (effective != null) {
            CronSchedule.toQuartz(effective);
        }
        return new HarborSchedule(type, effective, null);
    }

    /** Run once, now. */
    public boolean manual() {
        return type.equals("Manual");
    }

    /** The cron trigger this schedule needs, in Quartz's dialect; empty for {@code Manual} and {@code None}. */
    public Optional<String> quartzCron() {
        return cron == null ? Optional.empty() : Optional.of(CronSchedule.toQuartz(cron));
    }
}
