package io.wharf.api;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application the API module's integration tests start: core and api, without the console. */
@SpringBootApplication(scanBasePackages = "io.wharf")
public class ApiTestApplication {
}
