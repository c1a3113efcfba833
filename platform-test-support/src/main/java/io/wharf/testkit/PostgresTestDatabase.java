package io.wharf.testkit;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The real PostgreSQL the test suite runs on (started by {@code .ci/run}, or by hand with
 * {@code pg_ctlcluster 15 main start}). Each Spring context gets its own fresh schema, so contexts
 * never see each other's rows and Flyway migrates every one from scratch.
 *
 * <p>Override the server with {@code WHARF_TEST_DB_URL}, {@code WHARF_TEST_DB_USER} and
 * {@code WHARF_TEST_DB_PASSWORD}; the defaults match {@code .ci/run}.
 */
public final class PostgresTestDatabase {

    private PostgresTestDatabase() {
    }

    /** The JDBC URL of the test database ({@code WHARF_TEST_DB_URL}). */
    public static String url() {
        return env("WHARF_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/wharf_test");
    }

    /** The test database role ({@code WHARF_TEST_DB_USER}). */
    public static String user() {
        return env("WHARF_TEST_DB_USER", "wharf");
    }

    /** The test database password ({@code WHARF_TEST_DB_PASSWORD}). */
    public static String password() {
        return env("WHARF_TEST_DB_PASSWORD", "wharf");
    }

    /** A new schema name, unique to the caller. */
    public static String newSchema() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
    }

    /** Spring properties that point a context at a fresh schema on the test server. */
    public static Map<String, String> properties() {
        return properties(newSchema());
    }

    /**
     * Spring properties that point a context at {@code schema} (created by Flyway when missing). The
     * Quartz scheduler is named after the schema: Quartz keeps a scheduler's data source in a
     * JVM-wide registry under the scheduler's name, so contexts in one test JVM (cached contexts, a
     * second Wharf) with the same name would all use the schema of the last one started, and fire
     * each other's jobs; nodes on one schema share the name, as the nodes of one cluster do.
     */
    public static Map<String, String> properties(String schema) {
        return Map.of(
            "spring.datasource.url", url() + (url().contains("?") ? "&" : "?") + "currentSchema=" + schema,
            "spring.datasource.username", user(),
            "spring.datasource.password", password(),
            "spring.flyway.schemas", schema,
            "spring.flyway.default-schema", schema,
            "spring.flyway.create-schemas", "true",
            "spring.quartz.scheduler-name", "wharf-" + schema);
    }

    /** The same properties as {@code --key=value} command-line arguments, for starting the jar. */
    public static String[] arguments(String schema) {
        return properties(schema).entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
