package io.wharf.web;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * Wharf: the executable application that assembles every module (core wiring is in {@code CoreConfiguration}).
 *
 * <p>Boot's {@link UserDetailsServiceAutoConfiguration} is left out: every security filter chain
 * authenticates through Wharf's own accounts ({@code io.wharf.api.security.SecurityConfiguration}), so
 * the in-memory user with a generated password that it would add (and log) serves nothing.
 */
@SpringBootApplication(scanBasePackages = "io.wharf", exclude = UserDetailsServiceAutoConfiguration.class)
public class PlatformApplication {

    public static void main(String[] args) {
        SpringApplication.run(PlatformApplication.class, args);
    }
}
