package io.wharf.webhook;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookPropertiesTest {

    private final WebhookProperties properties = new WebhookProperties(Duration.ofSeconds(2), 5, Duration.ofSeconds(10),
        Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofMinutes(2), 20, 4);

    @Test
    void backoffDoublesAfterEachFailedAttemptUpToTheCap() {
        assertThat(properties.backoff(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.backoff(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(properties.backoff(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(properties.backoff(4)).isEqualTo(Duration.ofMinutes(1));
        assertThat(properties.backoff(60)).isEqualTo(Duration.ofMinutes(1));
    }
}
