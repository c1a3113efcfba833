package io.wharf.replication.proxy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code wharf.proxy.*} as Spring binds it: the expiry defaults, and durations that must be positive. */
class ProxyPropertiesTest {

    @Test
    void expiresAfterSevenDaysCheckedHourlyByDefault() {
        ProxyProperties defaults = bind(Map.of());

        assertThat(defaults.expireAfter()).isEqualTo(Duration.ofDays(7));
        assertThat(defaults.expiryInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.tagTtl()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void bindsConfiguredDurations() {
        ProxyProperties set = bind(Map.of("wharf.proxy.expire-after", "30d", "wharf.proxy.expiry-interval", "15m"));

        assertThat(set.expireAfter()).isEqualTo(Duration.ofDays(30));
        assertThat(set.expiryInterval()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void rejectsAnExpiryAgeOrIntervalThatIsNotPositive() {
        for (Map<String, String> wrong : new Map[] {Map.of("wharf.proxy.expire-after", "0s"),
            Map.of("wharf.proxy.expire-after", "-1h"), Map.of("wharf.proxy.expiry-interval", "0s"),
            Map.of("wharf.proxy.expiry-interval", "-5m")}) {
            assertThatThrownBy(() -> bind(wrong)).as("%s", wrong).isInstanceOf(BindException.class)
                .rootCause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
        }
    }

    private static ProxyProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("wharf.proxy", ProxyProperties.class);
    }
}
