package io.wharf.replication.upstream;

import io.wharf.replication.upstream.UpstreamRateLimitedException.Kind;
import org.jspecify.annotations.Nullable;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next attempt (R21, R31).
 *
 * <ul>
 *   <li>Transient failures (5xx, I/O errors, timeouts): 2 s, doubling.</li>
 *   <li>429: {@code Retry-After} (seconds or an HTTP date), or the Hub API's {@code X-RateLimit-Reset};
 *       otherwise 30 s doubling, plus up to 25 % jitter, capped at the announced window ({@code w=})
 *       or 6 h. Docker Hub's pull limit is never retried within 5 minutes.</li>
 * </ul>
 */
final class RetryPolicy {

    static final Duration FIRST_TRANSIENT_WAIT = Duration.ofSeconds(2);
    static final Duration FIRST_RATE_LIMIT_WAIT = Duration.ofSeconds(30);
    static final Duration PULL_LIMIT_MIN_WAIT = Duration.ofMinutes(5);
    static final Duration DEFAULT_RATE_LIMIT_CAP = Duration.ofHours(6);

    private final DoubleSupplier random;

    /** @param random gives values in [0, 1) for the jitter */
    RetryPolicy(DoubleSupplier random) {
        this.random = random;
    }

    /** The wait after the {@code failures}-th transient failure (1-based). */
    Duration transientWait(int failures) {
        return FIRST_TRANSIENT_WAIT.multipliedBy(1L << Math.min(failures - 1, 20));
    }

    /** The wait after the {@code count}-th 429 (1-based) of one request. */
    Duration rateLimitWait(Kind kind, HttpHeaders headers, int count, RateLimit last, Instant now) {
        Duration wait = retryAfter(headers, now).orElseGet(() -> {
            Duration cap = last.window() != null ? last.window() : DEFAULT_RATE_LIMIT_CAP;
            Duration base = FIRST_RATE_LIMIT_WAIT.multipliedBy(1L << Math.min(count - 1, 20));
            Duration jittered = base.plusMillis((long) (base.toMillis() * 0.25 * random.getAsDouble()));
            return jittered.compareTo(cap) > 0 ? cap : jittered;
        });
        if (kind == Kind.PULL_LIMIT && wait.compareTo(PULL_LIMIT_MIN_WAIT) < 0) {
            return PULL_LIMIT_MIN_WAIT;
        }
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /**
     * What kind of 429 this is. Only Docker Hub has a pull limit and an abuse limit; any 429 of another
     * registry is {@link Kind#OTHER}.
     */
    static Kind classify(boolean dockerHub, String contentType, ErrorBody body) {
        if (!dockerHub) {
            return Kind.OTHER;
        }
        if ("TOOMANYREQUESTS".equals(body.code())) {
            return Kind.PULL_LIMIT;
        }
        return contentType.startsWith("text/plain") || body.message().contains("HAP429") ? Kind.ABUSE : Kind.OTHER;
    }

    /** {@code Retry-After} in seconds or as an HTTP date, else {@code X-RateLimit-Reset} (unix seconds). */
    static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::strip);
        if (value.isPresent()) {
            Duration parsed = parseRetryAfter(value.get(), now);
            if (parsed != null) {
                return Optional.of(parsed);
            }
        }
        return headers.firstValue("X-RateLimit-Reset").map(String::strip).filter(v -> v.matches("\\d{1,12}"))
            .map(v -> Duration.between(now, Instant.ofEpochSecond(Long.parseLong(v))));
    }

    private static @Nullable Duration parseRetryAfter(String value, Instant now) {
        if (value.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            return Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
