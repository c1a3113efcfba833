package io.wharf.core.gc;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.schedule.CronSchedule;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;

/**
 * The collection's schedule, in Harbor's words: {@code type} {@code None} (no schedule), {@code Hourly},
 * {@code Daily}, {@code Weekly} or {@code Custom} with its {@code cron} (six fields, seconds first, UTC).
 *
 * @param cron the cron expression in Harbor's dialect; null for {@code None}
 */
public record GcSchedule(String type, @Nullable String cron, GcParameters parameters,
                         @Nullable OffsetDateTime createdAt, @Nullable OffsetDateTime updatedAt) {

    private static final Map<String, String> FIXED = Map.of(
        "Hourly", "0 0 * * * *",
        "Daily", "0 0 0 * * *",
        "Weekly", "0 0 0 * * 0");

    /** No schedule. */
    public static final GcSchedule NONE = new GcSchedule("None", null, GcParameters.DEFAULT, null, null);

    /**
     * A schedule of {@code type}; the fixed types take their own cron, {@code Custom} needs {@code cron}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for another type or a bad cron
     */
    public static GcSchedule of(@Nullable String type, @Nullable String cron, GcParameters parameters) {
        if (type == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "schedule.type is required");
        }
        String normalized = FIXED.keySet().stream().filter(t -> t.equalsIgnoreCase(type)).findFirst()
            .orElse(type.toLowerCase(Locale.ROOT).equals("custom") ? "Custom"
                : type.toLowerCase(Locale.ROOT).equals("none") ? "None" : "");
        return switch (normalized) {
            case "None" -> new GcSchedule("None", null, parameters, null, null);
            case "Custom" -> {
                if (cron == null || cron.isBlank()) {
                    throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "a Custom schedule needs a cron expression");
                }
                CronSchedule.toQuartz(cron);
                yield new GcSchedule("Custom", cron.trim(), parameters, null, null);
            }
            case "" -> throw new PlatformException(ErrorCode.INVALID_ARGUMENT,
                "schedule.type must be Manual, Hourly, Daily, Weekly, Custom or None, not " + type);
            default -> new GcSchedule(normalized, FIXED.get(normalized), parameters, null, null);
        };
    }

    /** The cron trigger Quartz runs, in its dialect; null for {@code None}. */
    public @Nullable String quartzCron() {
        return cron == null ? null : CronSchedule.toQuartz(cron);
    }
}
