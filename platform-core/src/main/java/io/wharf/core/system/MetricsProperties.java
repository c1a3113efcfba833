package io.wharf.core.system;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code wharf.metrics.*}: who may read {@code /metrics} and how fresh its database-backed gauges are.
 *
 * @param token        when set, {@code /metrics} answers only requests with {@code Authorization: Bearer <token>}
 *                     (401 otherwise); when unset it is open to everyone who can reach the port. Secret: from
 *                     the environment only ({@code WHARF_METRICS_TOKEN})
 * @param usageRefresh how long the gauges read from the database (upload sessions, storage per project) may be
 *                     served from memory: after this they are reloaded in the background on the next scrape;
 *                     after four times this, the next scrape waits for a reload
 */
@ConfigurationProperties("wharf.metrics")
public record MetricsProperties(
        @Nullable String token,
        @DefaultValue("30s") Duration usageRefresh) {

    /** Whether a token guards {@code /metrics}. */
    public boolean tokenRequired() {
        return token != null && !token.isBlank();
    }
}
