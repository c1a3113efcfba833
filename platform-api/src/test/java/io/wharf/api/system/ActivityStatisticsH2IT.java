package io.wharf.api.system;

import io.wharf.testkit.H2TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ActivityStatisticsContract} on H2 in PostgreSQL mode, as the embedded default runs it. */
class ActivityStatisticsH2IT extends ActivityStatisticsContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        H2TestDatabase.properties("activity").forEach((key, value) -> registry.add(key, () -> value));
    }
}
