package io.wharf.scanner;

import io.wharf.scanner.client.ScannerProperties;
import io.wharf.scanner.trigger.ScanProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** The scanner module's entities and Spring Data repositories, next to core's, and its settings. */
@Configuration(proxyBeanMethods = false)
@EnableJpaRepositories("io.wharf.scanner")
@EntityScan("io.wharf.scanner")
@EnableConfigurationProperties({ScannerProperties.class, ScanProperties.class})
class ScannerConfiguration {
}
