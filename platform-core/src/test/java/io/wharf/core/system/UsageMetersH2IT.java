package io.wharf.core.system;

import io.wharf.testkit.H2TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link UsageMetersContract} on H2 in PostgreSQL mode, as the embedded default runs it. */
class UsageMetersH2IT extends UsageMetersContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        H2TestDatabase.properties("usage").forEach((key, value) -> registry.add(key, () -> value));
    }
}
