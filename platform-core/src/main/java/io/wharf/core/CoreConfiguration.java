package io.wharf.core;

import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Wires core: its JPA entities and repositories, its settings records, and scheduled jobs. */
@Configuration(proxyBeanMethods = false)
@EnableJpaRepositories("io.wharf.core")
@EntityScan("io.wharf.core")
@ConfigurationPropertiesScan("io.wharf.core")
@EnableScheduling
public class CoreConfiguration {

    /** The time every decision uses (lockouts, token expiry, robot expiry, upload purges); tests replace it. */
    @Bean
    java.time.Clock clock() {
        return java.time.Clock.systemUTC();
    }
}
