package io.wharf.replication.upstream;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A 429 the client did not sit out: its wait was longer than {@code max-rate-limit-wait}, or the
 * attempts ran out. The caller pauses its work until {@link #retryAt()} (R21, R22).
 */
public class UpstreamRateLimitedException extends UpstreamException {

    /** Which limit was hit (UPSTREAMS.md §1.5). */
    public enum Kind {
        /** Docker Hub's pull quota: JSON {@code TOOMANYREQUESTS} on a manifest GET; never retried within 5 min. */
        PULL_LIMIT,
        /** Docker Hub's abuse limit on every request: plain text {@code Too Many Requests (HAP429).}. */
        ABUSE,
        /** Any other 429 (other registries, the Hub web API). */
        OTHER
    }

    private final Kind kind;
    private final Instant retryAt;

    public UpstreamRateLimitedException(@Nullable String code, String message, Kind kind, Instant retryAt) {
        super(429, code, message);
        this.kind = kind;
        this.retryAt = retryAt;
    }

    /** Which limit was hit. */
    public Kind kind() {
        return kind;
    }

    /** The earliest time a retry makes sense. */
    public Instant retryAt() {
        return retryAt;
    }
}
