package io.wharf.web.console;

import io.wharf.scanner.trigger.ScanWorker;
import io.wharf.testkit.MutableClock;
import io.wharf.testkit.scanner.ScannerAdapterEmulator;
import io.wharf.web.PlatformApplication;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;

/**
 * Base of the scanning console tests: one Wharf for all of them (the same settings, so Spring's test
 * context cache starts it once), its scan queue driven by {@link ScanWorker#runDueJobs()} and its time
 * by a {@link MutableClock}, and one adapter emulator, which really pulls each artifact it is asked to
 * scan. Nothing sleeps.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MutableClockConfiguration.class)
abstract class ScanningConsoleTest {

    /** The adapter of every scanner these tests register; it lives as long as the cached context (the test JVM). */
    static final ScannerAdapterEmulator ADAPTER = ScannerAdapterEmulator.start();

    @LocalServerPort
    int port;

    @Autowired
    ScanWorker worker;

    @Autowired
    MutableClock clock;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ConsoleTestContext.register(registry, "scanning-console");
        registry.add("wharf.scanner.worker-enabled", () -> "false");
    }

    /** Submits the due scans, makes their reports ready and collects them. */
    void scanToEnd() {
        worker.runDueJobs();
        ADAPTER.scanRequests().forEach(r -> ADAPTER.markReady(r.id()));
        clock.advance(Duration.ofSeconds(5));
        worker.runDueJobs();
    }
}
