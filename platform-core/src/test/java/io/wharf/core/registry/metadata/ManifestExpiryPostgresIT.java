package io.wharf.core.registry.metadata;

import io.wharf.testkit.PostgresTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ManifestExpiryContract} on PostgreSQL. */
class ManifestExpiryPostgresIT extends ManifestExpiryContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
    }
}
