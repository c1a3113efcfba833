package io.wharf.core.registry.metadata;

import io.wharf.testkit.H2TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link NamePagingContract} on H2 in PostgreSQL mode, as the embedded default runs it. */
class NamePagingH2IT extends NamePagingContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        H2TestDatabase.properties("paging").forEach((key, value) -> registry.add(key, () -> value));
    }
}
