package io.wharf.replication.upstream;

import io.wharf.replication.upstream.UpstreamRateLimitedException.Kind;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The waits of {@link RetryPolicy} and the parsing of rate-limit headers (R20, R21). */
class UpstreamRetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final RetryPolicy noJitter = new RetryPolicy(() -> 0);
    private final RetryPolicy fullJitter = new RetryPolicy(() -> 0.999);

    @Test
    void transientFailuresWaitTwoSecondsDoubling() {
        assertThat(List.of(1, 2, 3, 4)).map(noJitter::transientWait)
            .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16));
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDateWins() {
        assertThat(noJitter.rateLimitWait(Kind.OTHER, headers(Map.of("Retry-After", "42")), 1, RateLimit.UNKNOWN, NOW))
            .isEqualTo(Duration.ofSeconds(42));
        assertThat(noJitter.rateLimitWait(Kind.OTHER, headers(Map.of("retry-after", "Thu, 01 Jan 2026 00:02:00 GMT")), 1,
            RateLimit.UNKNOWN, NOW)).isEqualTo(Duration.ofMinutes(2));
        assertThat(noJitter.rateLimitWait(Kind.OTHER, headers(Map.of("X-RateLimit-Reset",
            Long.toString(NOW.plusSeconds(90).getEpochSecond()))), 1, RateLimit.UNKNOWN, NOW)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void withoutRetryAfterTheWaitStartsAtThirtySecondsWithJitterAndIsCappedByTheWindow() {
        HttpHeaders none = headers(Map.of());
        assertThat(noJitter.rateLimitWait(Kind.OTHER, none, 1, RateLimit.UNKNOWN, NOW)).isEqualTo(Duration.ofSeconds(30));
        assertThat(fullJitter.rateLimitWait(Kind.OTHER, none, 1, RateLimit.UNKNOWN, NOW))
            .isBetween(Duration.ofSeconds(30), Duration.ofMillis(37_500));
        assertThat(noJitter.rateLimitWait(Kind.OTHER, none, 3, RateLimit.UNKNOWN, NOW)).isEqualTo(Duration.ofMinutes(2));
        RateLimit window = new RateLimit(100L, 0L, Duration.ofSeconds(100), null, NOW);
        assertThat(noJitter.rateLimitWait(Kind.OTHER, none, 5, window, NOW)).isEqualTo(Duration.ofSeconds(100));
        assertThat(noJitter.rateLimitWait(Kind.OTHER, none, 30, RateLimit.UNKNOWN, NOW)).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void aPullLimitWaitsAtLeastFiveMinutes() {
        assertThat(noJitter.rateLimitWait(Kind.PULL_LIMIT, headers(Map.of("Retry-After", "10")), 1, RateLimit.UNKNOWN, NOW))
            .isEqualTo(Duration.ofMinutes(5));
        assertThat(noJitter.rateLimitWait(Kind.PULL_LIMIT, headers(Map.of()), 1, RateLimit.UNKNOWN, NOW))
            .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void classifiesDockerHubsTwoLimitsAndNothingElse() {
        ErrorBody pull = ErrorBody.parse("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have reached your pull rate limit\"}]}");
        ErrorBody abuse = ErrorBody.parse("Too Many Requests (HAP429).\n");
        assertThat(RetryPolicy.classify(true, "application/json", pull)).isEqualTo(Kind.PULL_LIMIT);
        assertThat(RetryPolicy.classify(true, "text/plain", abuse)).isEqualTo(Kind.ABUSE);
        assertThat(RetryPolicy.classify(true, "application/json", ErrorBody.parse("{\"message\":\"slow down\"}")))
            .isEqualTo(Kind.OTHER);
        assertThat(RetryPolicy.classify(false, "application/json", pull)).isEqualTo(Kind.OTHER);
    }

    @Test
    void errorBodiesOfAnyShapeParse() {
        assertThat(ErrorBody.parse("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"no\"}]}").describe()).isEqualTo("DENIED: no");
        assertThat(ErrorBody.parse("{\"details\":\"incorrect username or password\"}").message())
            .isEqualTo("incorrect username or password");
        assertThat(ErrorBody.parse("{not json").message()).isEqualTo("{not json");
        assertThat(ErrorBody.parse("<html>\n<b>oops</b></html>").describe()).isEqualTo("<html> <b>oops</b></html>");
        assertThat(ErrorBody.parse("").describe()).isEqualTo("no details");
    }

    @Test
    void rateLimitHeadersParseCaseInsensitively() {
        RateLimit parsed = RateLimit.parse(headers(Map.of("RateLimit-Limit", "200;w=21600",
            "RATELIMIT-REMAINING", "150;w=21600", "Docker-RateLimit-Source", "alice-id")), NOW);

        assertThat(parsed).isEqualTo(new RateLimit(200L, 150L, Duration.ofHours(6), "alice-id", NOW));
        assertThat(RateLimit.parse(headers(Map.of()), NOW).limited()).isFalse();
    }

    private static HttpHeaders headers(Map<String, String> values) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        values.forEach((k, v) -> map.put(k, List.of(v)));
        return HttpHeaders.of(map, (a, b) -> true);
    }
}
