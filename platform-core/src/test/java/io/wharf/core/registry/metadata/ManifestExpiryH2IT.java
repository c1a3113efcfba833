package io.wharf.core.registry.metadata;

import io.wharf.testkit.H2TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ManifestExpiryContract} on H2 in PostgreSQL mode, as the embedded default runs it. */
class ManifestExpiryH2IT extends ManifestExpiryContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        H2TestDatabase.properties("expiry").forEach((key, value) -> registry.add(key, () -> value));
    }
}
