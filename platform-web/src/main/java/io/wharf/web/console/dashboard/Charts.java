package io.wharf.web.console.dashboard;

import io.wharf.core.system.Activity;
import io.wharf.web.console.Sizes;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The dashboard's charts, laid out for inline SVG drawn by the template ({@code dashboard/index.html}):
 * positions and lengths in the SVG's user units, numbers as people read them. Bars are scaled to the
 * largest value; a value above zero gets at least a sliver, so it never looks like zero.
 */
final class Charts {

    /** Width of the storage chart; the names take the left, bars and sizes the rest. */
    static final int STORAGE_WIDTH = 520;
    private static final int STORAGE_BARS_AT = 150;
    private static final int STORAGE_BAR_MAX = 270;
    private static final int STORAGE_ROW = 30;
    private static final int NAME_MAX = 18;

    /** Width of the activity chart: one column per day. */
    static final int ACTIVITY_WIDTH = 560;
    /** Where the activity chart's bars stand; day labels are below. */
    static final int ACTIVITY_BASELINE = 150;
    private static final int ACTIVITY_BAR_MAX = 120;
    private static final int ACTIVITY_BAR = 14;
    private static final DateTimeFormatter DAY_LABEL = DateTimeFormatter.ofPattern("MM-dd");

    private Charts() {
    }

    /**
     * Storage used by project: one horizontal bar per project.
     *
     * @param height the SVG's height
     */
    record StorageChart(int width, int height, List<StorageBar> bars) {
    }

    /**
     * A project's bar.
     *
     * @param label  the project's name, cut to fit
     * @param size   the bytes, human-readable
     * @param y      the top of the bar's row
     * @param length the bar's length
     */
    record StorageBar(String project, String label, long bytes, String size, int y, int x, int length) {

        /** Where the size is written, after the bar. */
        public int sizeX() {
            return x + length + 6;
        }
    }

    /** Pushes and pulls per day: two bars a day, pushes left. */
    record ActivityChart(int width, int height, int baseline, List<DayColumn> days) {
    }

    /**
     * A day's column.
     *
     * @param label      the day as {@code MM-dd}
     * @param x          the left of the pushes' bar; the pulls' bar follows it
     * @param pushHeight the pushes' bar's height
     * @param pullHeight the pulls' bar's height
     */
    record DayColumn(String day, String label, long pushes, long pulls, int x, int barWidth, int pushHeight, int pullHeight) {

        /** The left of the pulls' bar. */
        public int pullX() {
            return x + barWidth + 2;
        }

        /** The middle of the column, for its label. */
        public int middle() {
            return x + barWidth;
        }
    }

    /** The storage chart of {@code projects}, in their order. */
    static StorageChart storage(List<Activity.ProjectStorage> projects) {
        long max = Math.max(1, projects.stream().mapToLong(Activity.ProjectStorage::bytes).max().orElse(1));
        List<StorageBar> bars = new ArrayList<>();
        for (Activity.ProjectStorage project : projects) {
            String name = project.project();
            String label = name.length() > NAME_MAX ? name.substring(0, NAME_MAX - 1) + "…" : name;
            bars.add(new StorageBar(name, label, project.bytes(), Sizes.human(project.bytes()), bars.size() * STORAGE_ROW,
                STORAGE_BARS_AT, scale(project.bytes(), max, STORAGE_BAR_MAX)));
        }
        return new StorageChart(STORAGE_WIDTH, Math.max(STORAGE_ROW, bars.size() * STORAGE_ROW), bars);
    }

    /** The activity chart of {@code days}, oldest first. */
    static ActivityChart activity(List<Activity.Day> days) {
        long max = Math.max(1, days.stream().mapToLong(d -> Math.max(d.pushes(), d.pulls())).max().orElse(1));
        int slot = ACTIVITY_WIDTH / Math.max(1, days.size());
        List<DayColumn> columns = new ArrayList<>();
        for (Activity.Day day : days) {
            int x = columns.size() * slot + (slot - 2 * ACTIVITY_BAR - 2) / 2;
            columns.add(new DayColumn(day.day().toString(), DAY_LABEL.format(day.day()), day.pushes(), day.pulls(), x, ACTIVITY_BAR,
                scale(day.pushes(), max, ACTIVITY_BAR_MAX), scale(day.pulls(), max, ACTIVITY_BAR_MAX)));
        }
        return new ActivityChart(ACTIVITY_WIDTH, ACTIVITY_BASELINE + 22, ACTIVITY_BASELINE, columns);
    }

    /** {@code value} of {@code max} as a length of at most {@code full}; at least 2 for any value above zero. */
    private static int scale(long value, long max, int full) {
        return value <= 0 ? 0 : (int) Math.max(2, Math.round((double) value / max * full));
    }
}
