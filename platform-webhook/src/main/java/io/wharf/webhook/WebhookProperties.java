package io.wharf.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code wharf.webhook.*}: how deliveries are sent.
 *
 * @param pollInterval     how often each node looks for due deliveries
 * @param maxAttempts      attempts per delivery before it ends as {@code Error}
 * @param retryBackoff     the wait after the first failed attempt; it doubles after each further one
 * @param maxBackoff       the longest wait between two attempts
 * @param timeout          how long one attempt may take (connecting and the answer)
 * @param lease            how long a node holds a delivery it is sending; another node takes it over
 *                         once the lease has passed (the node died). Longer than {@code timeout}.
 * @param batchSize        deliveries claimed at once by a node
 * @param concurrency      deliveries a node sends at the same time
 */
@ConfigurationProperties("wharf.webhook")
@Validated
public record WebhookProperties(@DefaultValue("2s") Duration pollInterval, @DefaultValue("5") int maxAttempts,
                                @DefaultValue("10s") Duration retryBackoff, @DefaultValue("1h") Duration maxBackoff,
                                @DefaultValue("10s") Duration timeout, @DefaultValue("2m") Duration lease,
                                @DefaultValue("20") int batchSize, @DefaultValue("4") int concurrency) {

    /** The wait after failed attempt number {@code attempt} (from 1): the backoff doubled per attempt, capped. */
    public Duration backoff(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        Duration wait = retryBackoff.multipliedBy(1L << doublings);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
