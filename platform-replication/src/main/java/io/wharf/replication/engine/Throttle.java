package io.wharf.replication.engine;

import io.wharf.replication.upstream.Pause;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A policy's bandwidth limit ({@code speed}, KiB/s), shared by the concurrent copies of one execution:
 * after each read, a copy that is ahead of the allowed rate waits until it is not. Waiting goes
 * through the {@link Pause}, so tests move a clock instead of sleeping.
 */
final class Throttle {

    private final long bytesPerSecond;
    private final Clock clock;
    private final Pause pause;
    private final Instant start;
    private long bytes;

    Throttle(long kibPerSecond, Clock clock, Pause pause) {
        this.bytesPerSecond = kibPerSecond * 1024;
        this.clock = clock;
        this.pause = pause;
        this.start = clock.instant();
    }

    /** Whether a limit applies. */
    boolean limits() {
        return bytesPerSecond > 0;
    }

    /** Counts {@code n} bytes read and waits while the execution is ahead of its rate. */
    void took(long n) throws InterruptedException {
        Instant allowed;
        synchronized (this) {
            bytes += n;
            allowed = start.plus(Duration.ofNanos((long) (bytes * 1_000_000_000.0 / bytesPerSecond)));
        }
        if (allowed.isAfter(clock.instant())) {
            pause.until(allowed);
        }
    }
}
