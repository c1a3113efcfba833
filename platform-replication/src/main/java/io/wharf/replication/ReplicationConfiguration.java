package io.wharf.replication;

import io.wharf.replication.engine.EngineProperties;
import io.wharf.replication.proxy.ProxyProperties;
import io.wharf.replication.upstream.Pause;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

import java.time.Clock;

/** The replication module's entities and Spring Data repositories, next to core's, and how it waits. */
@Configuration(proxyBeanMethods = false)
@EnableJpaRepositories("io.wharf.replication")
@EntityScan("io.wharf.replication")
@EnableConfigurationProperties({EngineProperties.class, ProxyProperties.class})
class ReplicationConfiguration {

    /**
     * Where replication waits (backoff, rate-limit windows): asleep against the clock. Tests define
     * their own, which moves a test clock instead.
     */
    @Bean
    @ConditionalOnMissingBean
    Pause pause(Clock clock) {
        return Pause.sleeping(clock);
    }
}
