package io.wharf.replication.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Where the upstream client waits (backoff, {@code Retry-After}). Production sleeps against the
 * {@link Clock}; tests pass an implementation that moves a settable clock, so nothing really sleeps.
 */
@FunctionalInterface
public interface Pause {

    /**
     * Returns once {@code instant} has come (at once when it has passed).
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void until(Instant instant) throws InterruptedException;

    /** A pause that sleeps until {@code clock} shows {@code instant}. */
    static Pause sleeping(Clock clock) {
        return instant -> {
            for (Duration left = Duration.between(clock.instant(), instant); left.compareTo(Duration.ZERO) > 0;
                 left = Duration.between(clock.instant(), instant)) {
                Thread.sleep(Math.max(1, left.toMillis()));
            }
        };
    }
}
