package io.wharf.core.registry.metadata;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The configuration {@code @DataJpaTest}s of this package start from: the entities and Spring Data
 * repositories of {@code registry.metadata}, no component scan (tests import the stores they need).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class MetadataTestApplication {
}
