package io.wharf.web.bench;

import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.TestAccounts;
import io.wharf.web.PlatformApplication;
import io.wharf.web.clients.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark client, {@code bench/RegistryBench.java}, run once in its smoke mode against Wharf on
 * PostgreSQL, as a user runs it: the JDK's {@code java} on the source file, the admin's credentials in
 * {@code BENCH_BASIC} and the token flow. The client creates its project, fixtures and repository
 * itself; every operation has to run without an error. This keeps the benchmark from rotting; it
 * times nothing.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BenchmarkSmokeIT {

    /** The client, found from the module directory (the tests' working directory). */
    private static final Path CLIENT = Path.of("..", "bench", "RegistryBench.java").toAbsolutePath().normalize();

    /** What the client prints a figure for, one line each: every operation it knows. */
    private static final List<String> OPERATIONS = List.of("push_small_blob", "push_chunked_blob", "put_manifest",
        "get_small_blob", "head_blob", "get_manifest_by_tag", "docker_pull", "push_large_blob", "get_large_blob");

    private static final Path DATA = tempDir();

    @LocalServerPort
    int port;

    @TempDir
    Path work;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        TestAccounts.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("wharf.data-dir", DATA::toString);
    }

    @Test
    void smokeModeRunsEveryOperationWithTheTokenFlowWithoutAnError() {
        assertThat(Files.isRegularFile(CLIENT))
            .as("the benchmark client %s (looked up from the module directory %s)", CLIENT, Path.of("").toAbsolutePath())
            .isTrue();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Cli client = Cli.of(java, work,
            Map.of("BENCH_BASIC", TestAccounts.ADMIN_USERNAME + ":" + TestAccounts.ADMIN_PASSWORD), List.of());

        Cli.Result result = client.run(Duration.ofMinutes(5), CLIENT.toString(), "--smoke",
            "--url", "http://127.0.0.1:" + port, "--auth", "token", "--label", "wharf");

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).as(result.describe())
            .contains("auth=token", "smoke: ok")
            .containsPattern("tokens fetched from http://127\\.0\\.0\\.1:" + port + "/service/token: [1-9]");
        for (String operation : OPERATIONS) {
            assertThat(result.stdout()).as(result.describe())
                .containsPattern(Pattern.compile("^" + operation + " +c=1 ", Pattern.MULTILINE));
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("wharf-bench-smoke");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
