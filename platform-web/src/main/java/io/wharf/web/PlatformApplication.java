package io.wharf.web;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Wharf: the executable application that assembles every module. */
@SpringBootApplication(scanBasePackages = "io.wharf")
@ConfigurationPropertiesScan("io.wharf")
@EnableJpaRepositories("io.wharf")
@EntityScan("io.wharf")
@EnableScheduling
public class PlatformApplication {

    public static void main(String[] args) {
        SpringApplication.run(PlatformApplication.class, args);
    }
}
