package io.wharf.core.system;

import io.wharf.testkit.PostgresTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link UsageMetersContract} on PostgreSQL. */
class UsageMetersPostgresIT extends UsageMetersContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
    }
}
