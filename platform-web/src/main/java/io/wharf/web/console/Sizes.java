package io.wharf.web.console;

import java.util.Locale;

/** Byte counts as people read them: {@code 512 B}, {@code 1.5 KiB}, {@code 23.4 MiB}. */
public final class Sizes {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Sizes() {
    }

    /** {@code bytes} in the largest binary unit that keeps the number at 1 or more, one decimal above bytes. */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
