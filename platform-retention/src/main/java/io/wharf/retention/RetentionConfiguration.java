package io.wharf.retention;

import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** The retention module's entities and Spring Data repositories, next to core's. */
@Configuration(proxyBeanMethods = false)
@EnableJpaRepositories("io.wharf.retention")
@EntityScan("io.wharf.retention")
class RetentionConfiguration {
}
