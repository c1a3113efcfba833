package io.wharf.core;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import java.time.Clock;

/** The clock of core's test slices: stores mark rows with it (garbage collection's marks, docs/gc.md). */
@TestConfiguration(proxyBeanMethods = false)
public class TestClock {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
