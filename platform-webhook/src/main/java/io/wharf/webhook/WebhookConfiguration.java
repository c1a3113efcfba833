package io.wharf.webhook;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** The webhook module's entities and Spring Data repositories, next to core's, and its settings. */
@Configuration(proxyBeanMethods = false)
@EnableJpaRepositories("io.wharf.webhook")
@EntityScan("io.wharf.webhook")
@EnableConfigurationProperties(WebhookProperties.class)
class WebhookConfiguration {
}
