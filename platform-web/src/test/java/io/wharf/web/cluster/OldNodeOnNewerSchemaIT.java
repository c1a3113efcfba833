package io.wharf.web.cluster;

import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestAccounts;
import io.wharf.web.PlatformApplication;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README, "Rolling upgrade": a node of this release that (re)starts while a newer release's node has already
 * migrated the shared schema still starts and serves. The schema is migrated by Flyway with Wharf's migrations, then
 * a newer release's migration is applied by hand: an additive one, as the README requires (a new table and a new
 * nullable column), recorded in {@code flyway_schema_history} under a version this release does not know. Wharf
 * then starts on that schema: Flyway ignores the applied future migration (its {@code ignoreMigrationPatterns}
 * default, {@code *:future}) and Hibernate's validation the added column.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OldNodeOnNewerSchemaIT {

    /** A version far above this release's migrations ({@code db/migration}). */
    private static final String FUTURE_VERSION = "999.1";
    private static final String SCHEMA = PostgresTestDatabase.newSchema();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws SQLException {
        migrateAsANewerReleaseWould();
        PostgresTestDatabase.properties(SCHEMA).forEach((key, value) -> registry.add(key, () -> value));
        TestAccounts.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("wharf.data-dir", OldNodeOnNewerSchemaIT::dataDir);
    }

    @Test
    void startsAndServesWithTheNewerMigrationLeftInPlace() throws SQLException {
        assertThat(RegistryClient.forPort(port).get("/v2/").status()).isEqualTo(401);
        assertThat(RegistryClient.forPort(port).asAdmin().get("/v2/").status()).isEqualTo(200);
        try (Connection db = connection(); Statement statement = db.createStatement();
             ResultSet latest = statement.executeQuery("SELECT version, success FROM " + SCHEMA
                 + ".flyway_schema_history ORDER BY installed_rank DESC LIMIT 1")) {
            assertThat(latest.next()).isTrue();
            assertThat(latest.getString("version")).as("nothing was applied after the newer migration").isEqualTo(FUTURE_VERSION);
            assertThat(latest.getBoolean("success")).isTrue();
        }
    }

    /** This release's migrations, as Wharf's Flyway configuration names them, then the newer release's one. */
    private static void migrateAsANewerReleaseWould() throws SQLException {
        Flyway.configure()
            .dataSource(PostgresTestDatabase.url(), PostgresTestDatabase.user(), PostgresTestDatabase.password())
            .schemas(SCHEMA).defaultSchema(SCHEMA).createSchemas(true)
            .locations("classpath:db/migration", "classpath:db/vendor/postgresql")
            .load().migrate();
        try (Connection db = connection(); Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE " + SCHEMA + ".newer_release_feature (id bigint PRIMARY KEY, note text)");
            statement.execute("ALTER TABLE " + SCHEMA + ".repository ADD COLUMN newer_release_note text");
            statement.execute("INSERT INTO " + SCHEMA + ".flyway_schema_history (installed_rank, version, description,"
                + " type, script, checksum, installed_by, execution_time, success) SELECT max(installed_rank) + 1, '"
                + FUTURE_VERSION + "', 'newer release feature', 'SQL', 'V" + FUTURE_VERSION.replace('.', '_')
                + "__newer_release_feature.sql', 0, current_user, 1, true FROM " + SCHEMA + ".flyway_schema_history");
        }
    }

    private static Connection connection() throws SQLException {
        return DriverManager.getConnection(PostgresTestDatabase.url(), PostgresTestDatabase.user(), PostgresTestDatabase.password());
    }

    private static String dataDir() {
        try {
            return Files.createTempDirectory("wharf-newer-schema").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
