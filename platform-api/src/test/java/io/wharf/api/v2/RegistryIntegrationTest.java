package io.wharf.api.v2;

import io.wharf.testkit.RegistryClient;
import io.wharf.api.ApiTestApplication;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.storage.driver.StorageDriver;
import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.core.testing.TestProjects;
import io.wharf.testkit.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Base of the {@code /v2} integration tests: the API on a random port, on real PostgreSQL (a fresh
 * schema), with the filesystem store in a temporary directory. Subclasses share one context.
 * The {@code admin} account has {@link TestAccounts#ADMIN_PASSWORD}, {@link #client} authenticates as
 * it, and the projects the tests push into ({@link #PROJECTS}) are created before each test.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(RegistryIntegrationTest.Tracking.class)
abstract class RegistryIntegrationTest {

    /** The request tracker, first in the filter chain. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Tracking {

        @Bean
        RequestTracker requestTracker() {
            return new RequestTracker();
        }
    }

    static final Path DATA_DIR = tempDir();

    /** The projects (first name segments) the {@code /v2} tests use; pushing never creates one. */
    static final String[] PROJECTS = {"proto", "bad", "purge", "nodelete"};

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StorageDriver driver;

    @Autowired
    ProjectService projects;

    /** Tells when the server has taken up and finished a request (see {@link RequestTracker}). */
    @Autowired
    RequestTracker requests;

    RegistryClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        TestAccounts.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("wharf.data-dir", DATA_DIR::toString);
    }

    @BeforeEach
    void client() {
        TestProjects.ensure(projects, PROJECTS);
        client = RegistryClient.forPort(port).asAdmin();
    }

    /** Everything the registry keeps: row counts of each table and every object in the store. */
    Map<String, Object> state() {
        Map<String, Object> state = new TreeMap<>();
        for (String table : List.of("repository", "blob", "repository_blob", "manifest", "manifest_reference", "tag", "upload_session")) {
            state.put(table, jdbc.queryForList("SELECT * FROM " + table).toString());
        }
        try {
            state.put("store", driver.list("blobs") + " " + driver.list("uploads"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return state;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("wharf-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
