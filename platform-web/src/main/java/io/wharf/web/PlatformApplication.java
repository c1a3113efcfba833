package io.wharf.web;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Wharf: the executable application that assembles every module (core wiring is in {@code CoreConfiguration}). */
@SpringBootApplication(scanBasePackages = "io.wharf")
public class PlatformApplication {

    public static void main(String[] args) {
        SpringApplication.run(PlatformApplication.class, args);
    }
}
