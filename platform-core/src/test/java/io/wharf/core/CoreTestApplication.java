package io.wharf.core;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot configuration that test slices of this library module ({@code @DataJpaTest}) start from:
 * entities and repositories under {@code io.wharf.core}. Test-only; the applications live in other modules.
 */
@SpringBootApplication
public class CoreTestApplication {
}
