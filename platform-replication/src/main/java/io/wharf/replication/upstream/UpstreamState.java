package io.wharf.replication.upstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every client of one upstream shares, whatever the caller: the concurrency limit (R30), the
 * last challenge (so later requests carry a token at once), the last rate-limit budget (R20), and the
 * meters tagged {@code upstream=<id>} (R33).
 */
final class UpstreamState {

    private final String id;
    private final Semaphore permits;
    private final MeterRegistry meters;
    private final AtomicReference<RateLimit> rateLimit = new AtomicReference<>(RateLimit.UNKNOWN);
    private final Counter blobBytes;
    private volatile @Nullable Challenge challenge;

    UpstreamState(String id, int concurrency, MeterRegistry meters) {
        this.id = id;
        this.permits = new Semaphore(Math.max(1, concurrency), true);
        this.meters = meters;
        this.blobBytes = Counter.builder("wharf.upstream.blob.bytes").description("Blob bytes read from the upstream")
            .baseUnit("bytes").tag("upstream", id).register(meters);
        Gauge.builder("wharf.upstream.ratelimit.remaining", this, s -> orNaN(s.rateLimit().remaining()))
            .description("Pulls left in the upstream's window (NaN: unlimited or unknown)")
            .tag("upstream", id).strongReference(true).register(meters);
        Gauge.builder("wharf.upstream.ratelimit.limit", this, s -> orNaN(s.rateLimit().limit()))
            .description("Pulls allowed per window (NaN: unlimited or unknown)")
            .tag("upstream", id).strongReference(true).register(meters);
        Gauge.builder("wharf.upstream.ratelimit.window", this,
                s -> s.rateLimit().window() == null ? Double.NaN : s.rateLimit().window().toSeconds())
            .description("The upstream's rate-limit window, seconds").baseUnit("seconds")
            .tag("upstream", id).strongReference(true).register(meters);
    }

    /** Takes a permit, waiting for one; the returned action gives it back. */
    Runnable acquire() throws InterruptedException {
        permits.acquire();
        return permits::release;
    }

    /**
     * Takes a permit, waiting at most {@code wait}; the returned action gives it back.
     *
     * @throws UpstreamException when no permit came free in time
     */
    Runnable acquire(Duration wait) throws InterruptedException {
        if (!permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new UpstreamException(0, null, "every connection to the upstream stayed busy for " + wait);
        }
        return permits::release;
    }

    @Nullable Challenge challenge() {
        return challenge;
    }

    void challenge(Challenge challenge) {
        this.challenge = challenge;
    }

    void forgetChallenge() {
        this.challenge = null;
    }

    RateLimit rateLimit() {
        return rateLimit.get();
    }

    /**
     * Records the budget of a registry response: any response carrying {@code ratelimit-*} headers, and
     * every manifest response, whose lack of them means "not counted" (R20).
     */
    void observe(HttpHeaders headers, boolean manifest, Instant now) {
        if (manifest || RateLimit.present(headers)) {
            rateLimit.set(RateLimit.parse(headers, now));
        }
    }

    void countRequest(String method, RequestKind kind, int status) {
        Counter.builder("wharf.upstream.requests").description("Requests sent to the upstream")
            .tag("upstream", id).tag("method", method).tag("kind", kind.tag())
            .tag("status", status == 0 ? "IO_ERROR" : Integer.toString(status))
            .register(meters).increment();
    }

    /** A manifest GET answered 200: what Docker Hub counts as a pull. */
    void countManifestGet() {
        Counter.builder("wharf.upstream.manifest.gets").description("Manifest GETs answered 200 (pull quota spent)")
            .tag("upstream", id).register(meters).increment();
    }

    void countManifestHead() {
        Counter.builder("wharf.upstream.manifest.heads").description("Manifest HEADs (not counted as pulls)")
            .tag("upstream", id).register(meters).increment();
    }

    void countBlobBytes(long bytes) {
        blobBytes.increment(bytes);
    }

    void countRateLimited(UpstreamRateLimitedException.Kind kind) {
        Counter.builder("wharf.upstream.rate.limited").description("429 answers by kind")
            .tag("upstream", id).tag("kind", kind.name()).register(meters).increment();
    }

    private static double orNaN(@Nullable Long value) {
        return value == null ? Double.NaN : value;
    }
}
