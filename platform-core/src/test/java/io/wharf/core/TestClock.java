package io.wharf.core;

import io.wharf.core.gc.GcProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import java.time.Clock;

/**
 * The clock of core's test slices, and the garbage collection settings: stores mark rows with the
 * clock and renew a mark only once it is older than the settings say (docs/gc.md).
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(GcProperties.class)
public class TestClock {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
