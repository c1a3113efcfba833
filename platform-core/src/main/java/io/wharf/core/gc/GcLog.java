package io.wharf.core.gc;

import java.time.Clock;
import java.time.Instant;

/** A run's log, as {@code /system/gc/{id}/log} shows it: timestamped lines, at most {@value #MAX_LINES}. */
final class GcLog {

    static final int MAX_LINES = 10_000;

    private final Clock clock;
    private final StringBuilder text = new StringBuilder();
    private int lines;
    private int dropped;

    GcLog(Clock clock) {
        this.clock = clock;
    }

    synchronized void line(String line) {
        if (lines >= MAX_LINES) {
            dropped++;
            return;
        }
        lines++;
        text.append(Instant.now(clock)).append(' ').append(line).append('\n');
    }

    @Override
    public synchronized String toString() {
        return dropped == 0 ? text.toString() : text + "... " + dropped + " more lines not kept\n";
    }
}
