package io.wharf.replication.upstream;

import org.jspecify.annotations.Nullable;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pull budget an upstream last announced (R20): {@code ratelimit-limit: 100;w=21600},
 * {@code ratelimit-remaining: 20;w=21600} and {@code docker-ratelimit-source}. A manifest response
 * without these headers means the pull is not counted, so the budget is unlimited.
 *
 * @param limit      pulls per window, or null when unlimited (or nothing was seen yet)
 * @param remaining  pulls left in the window, or null when unlimited
 * @param window     the window ({@code w=}), or null when not announced
 * @param source     what the quota is counted against (client IP or account id), or null
 * @param observedAt when the headers were seen (the client's clock), or null when nothing was seen yet
 */
public record RateLimit(@Nullable Long limit, @Nullable Long remaining, @Nullable Duration window,
                        @Nullable String source, @Nullable Instant observedAt) {

    /** Nothing seen yet. */
    public static final RateLimit UNKNOWN = new RateLimit(null, null, null, null, null);

    private static final Pattern COUNT = Pattern.compile("^\\s*(\\d+)");
    private static final Pattern WINDOW = Pattern.compile("w\\s*=\\s*(\\d+)");

    /** Whether a quota applies (the upstream sent {@code ratelimit-*} headers). */
    public boolean limited() {
        return limit != null || remaining != null;
    }

    /** Whether any rate-limit headers were seen in the response. */
    static boolean present(HttpHeaders headers) {
        return headers.firstValue("ratelimit-limit").isPresent() || headers.firstValue("ratelimit-remaining").isPresent();
    }

    /** The budget {@code headers} announce (names compared case-insensitively); unlimited without headers. */
    static RateLimit parse(HttpHeaders headers, Instant now) {
        Optional<String> limit = headers.firstValue("ratelimit-limit");
        Optional<String> remaining = headers.firstValue("ratelimit-remaining");
        Duration window = limit.map(RateLimit::window).orElseGet(() -> remaining.map(RateLimit::window).orElse(null));
        return new RateLimit(limit.map(RateLimit::count).orElse(null), remaining.map(RateLimit::count).orElse(null),
            window, headers.firstValue("docker-ratelimit-source").orElse(null), now);
    }

    private static @Nullable Long count(String value) {
        Matcher m = COUNT.matcher(value);
        return m.find() ? Long.valueOf(m.group(1)) : null;
    }

    private static @Nullable Duration window(String value) {
        Matcher m = WINDOW.matcher(value);
        return m.find() ? Duration.ofSeconds(Long.parseLong(m.group(1))) : null;
    }
}
