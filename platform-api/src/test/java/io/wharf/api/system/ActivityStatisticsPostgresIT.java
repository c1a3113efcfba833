package io.wharf.api.system;

import io.wharf.testkit.PostgresTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ActivityStatisticsContract} on PostgreSQL. */
class ActivityStatisticsPostgresIT extends ActivityStatisticsContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
    }
}
