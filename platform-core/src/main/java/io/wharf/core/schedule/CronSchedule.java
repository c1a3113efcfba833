package io.wharf.core.schedule;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.quartz.CronExpression;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Harbor's cron expressions (six fields, seconds first, days of week 0–6 from Sunday, as the Go cron
 * library reads them; five-field expressions get second 0) in Quartz's dialect: days of week 1–7
 * from Sunday, and {@code ?} in one of the two day fields.
 */
public final class CronSchedule {

    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private CronSchedule() {
    }

    /**
     * The Quartz form of {@code cron}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for an expression neither dialect can run
     */
    public static String toQuartz(String cron) {
        String[] f = cron.trim().split("\\s+");
        if (f.length == 5) {
            f = ("0 " + cron.trim()).split("\\s+");
        }
        if (f.length != 6) {
            throw invalid(cron, "it needs six fields: second minute hour day-of-month month day-of-week");
        }
        String dom = f[3];
        String dow = f[5];
        if (!dow.equals("?") && !dow.equals("*")) {
            Matcher m = NUMBER.matcher(dow);
            StringBuilder shifted = new StringBuilder();
            while (m.find()) {
                int day = Integer.parseInt(m.group());
                if (day > 6) {
                    throw invalid(cron, "days of the week are 0 (Sunday) to 6");
                }
                m.appendReplacement(shifted, String.valueOf(day + 1));
            }
            m.appendTail(shifted);
            dow = shifted.toString();
        }
        if (dow.equals("*") || dow.equals("?")) {
            dow = "?";
            if (dom.equals("?")) {
                dom = "*";
            }
        } else if (dom.equals("*") || dom.equals("?")) {
            dom = "?";
        } else {
            throw invalid(cron, "give either a day of the month or a day of the week, not both");
        }
        String quartz = String.join(" ", f[0], f[1], f[2], dom, f[4], dow);
        if (!CronExpression.isValidExpression(quartz)) {
            throw invalid(cron, "not a valid cron expression");
        }
        return quartz;
    }

    private static PlatformException invalid(String cron, String why) {
        return new PlatformException(ErrorCode.INVALID_ARGUMENT, "cron " + cron + ": " + why);
    }
}
