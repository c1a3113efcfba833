package io.wharf.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that tests move by hand, so that "later" needs no waiting. Override the application's
 * clock bean with it:
 *
 * <pre>{@code
 * @TestConfiguration(proxyBeanMethods = false)
 * static class Time {
 *     @Bean @Primary MutableClock clock() { return new MutableClock(); }
 * }
 * }</pre>
 *
 * and call {@link #advance(Duration)} where the test would otherwise sleep. Thread-safe; copies made with
 * {@link #withZone(ZoneId)} share the instant.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> instant;
    private final ZoneId zone;

    /** A clock standing at the current system time, in UTC. */
    public MutableClock() {
        this(Instant.now(), ZoneOffset.UTC);
    }

    /** A clock standing at {@code instant} in {@code zone}. */
    public MutableClock(Instant instant, ZoneId zone) {
        this(new AtomicReference<>(instant), zone);
    }

    private MutableClock(AtomicReference<Instant> instant, ZoneId zone) {
        this.instant = instant;
        this.zone = zone;
    }

    /** Moves the clock forward (or, with a negative amount, back) by {@code amount}; returns the new instant. */
    public Instant advance(Duration amount) {
        return instant.updateAndGet(now -> now.plus(amount));
    }

    /** Sets the clock to {@code to}. */
    public void set(Instant to) {
        instant.set(to);
    }

    @Override
    public Instant instant() {
        return instant.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new MutableClock(instant, newZone);
    }

    @Override
    public String toString() {
        return "MutableClock[" + instant.get() + "," + zone + "]";
    }
}
