package io.wharf.web.console;

import io.wharf.testkit.MutableClock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** The application's clock for tests that move time ({@code @Import} it): a {@link MutableClock} that stands still otherwise. */
@TestConfiguration(proxyBeanMethods = false)
class MutableClockConfiguration {

    @Bean
    @Primary
    MutableClock mutableClock() {
        return new MutableClock();
    }
}
