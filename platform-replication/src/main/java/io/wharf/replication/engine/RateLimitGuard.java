package io.wharf.replication.engine;

import io.wharf.replication.execution.ExecutionStore;
import io.wharf.replication.policy.ReplicationPolicy;
import io.wharf.replication.upstream.Pause;
import io.wharf.replication.upstream.RateLimit;
import io.wharf.replication.upstream.UpstreamClient;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The budget guard (R22): before a request the upstream counts (a manifest GET on Docker Hub), when
 * the pulls it last said remain are below the policy's floor, the execution pauses until the
 * upstream's window has passed (at least five minutes) instead of spending the budget that
 * interactive pulls share. The pause is recorded on the execution so the console shows it.
 */
@Component
class RateLimitGuard {

    static final Duration MINIMUM_PAUSE = Duration.ofMinutes(5);
    private static final Duration SLICE = Duration.ofSeconds(30);

    private final ExecutionStore store;
    private final Pause pause;
    private final Clock clock;

    RateLimitGuard(ExecutionStore store, Pause pause, Clock clock) {
        this.store = store;
        this.pause = pause;
        this.clock = clock;
    }

    void beforeCountedRequest(UpstreamClient upstream, ReplicationPolicy policy, TaskContext context) {
        int floor = policy.spec().rateLimitFloor();
        if (floor <= 0) {
            return;
        }
        RateLimit limit = upstream.rateLimit();
        if (limit.remaining() == null || limit.observedAt() == null || limit.remaining() >= floor) {
            return;
        }
        Duration window = limit.window() != null ? limit.window() : MINIMUM_PAUSE;
        Instant until = limit.observedAt().plus(window.compareTo(MINIMUM_PAUSE) < 0 ? MINIMUM_PAUSE : window);
        if (!until.isAfter(clock.instant())) {
            return;
        }
        pauseUntil(until, "delayed for rate limit: " + limit.remaining() + " pulls remain, below the floor of " + floor, context);
    }

    /**
     * Pauses the execution until {@code until} (logged with {@code why}, recorded on the execution),
     * in slices so that a stop is noticed while waiting.
     *
     * @throws StoppedException when a stop was asked meanwhile
     */
    void pauseUntil(Instant until, String why, TaskContext context) {
        context.log(why + "; waiting until " + until);
        store.paused(context.executionId(), OffsetDateTime.ofInstant(until, ZoneOffset.UTC));
        Instant start = clock.instant();
        try {
            for (Instant now = clock.instant(); now.isBefore(until) && !context.stopRequestedNow(); now = clock.instant()) {
                Instant next = now.plus(SLICE);
                pause.until(next.isBefore(until) ? next : until);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppedException();
        } finally {
            store.paused(context.executionId(), null);
            context.waited(Duration.between(start, clock.instant()));
        }
        if (context.stopRequestedNow()) {
            throw new StoppedException();
        }
    }
}
