package io.wharf.testkit;

import java.util.Map;
import java.util.UUID;

/**
 * H2 in PostgreSQL mode, in memory, as the embedded default runs it (the same URL settings as the
 * application's file database), for tests that must pass on both databases. Each call names a new
 * database, so contexts never see each other's rows and Flyway migrates every one from scratch.
 */
public final class H2TestDatabase {

    private H2TestDatabase() {
    }

    /** Spring properties that point a context at a new in-memory database whose name starts with {@code name}. */
    public static Map<String, String> properties(String name) {
        return Map.of(
            "spring.datasource.url", "jdbc:h2:mem:" + name + "-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
            "spring.datasource.username", "sa",
            "spring.datasource.password", "");
    }
}
