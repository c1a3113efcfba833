package io.wharf.web.console;

import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.TestAccounts;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The settings of the console tests' Wharf: a fresh PostgreSQL schema, the test admin password, its own data directory. */
final class ConsoleTestContext {

    private ConsoleTestContext() {
    }

    /** Registers the settings for a context whose data directory is named after {@code name}. */
    static void register(DynamicPropertyRegistry registry, String name) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        TestAccounts.properties().forEach((key, value) -> registry.add(key, () -> value));
        try {
            String dataDir = Files.createTempDirectory("wharf-" + name).toString();
            registry.add("wharf.data-dir", () -> dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
