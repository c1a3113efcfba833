package io.wharf.web.cluster;

import io.wharf.testkit.RegistryClient;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The built {@code wharf.jar} (platform-web's package phase, {@code target/wharf.jar}) running as a process of its
 * own, as users run it. Its output goes to a log file in its work directory; it is ready once it logs that its
 * readiness state changed to {@code ACCEPTING_TRAFFIC}, which Spring Boot does after the start-up runners (on the
 * first start, once the admin exists; logging in before then would count as failed logins).
 */
public final class WharfProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private WharfProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java <jvmOptions> -jar target/wharf.jar --server.port=port --server.address=127.0.0.1
     * <arguments>} in {@code workDir} (created) with {@code environment} added, and returns at once; see
     * {@link #awaitReady}.
     */
    public static WharfProcess launch(String name, Path workDir, int port, List<String> jvmOptions, List<String> arguments,
                                      Map<String, String> environment) throws IOException {
        Path jar = Path.of("target", "wharf.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the package phase of platform-web first");
        }
        return launch(name, workDir, jar, port, jvmOptions, arguments, environment);
    }

    /**
     * Starts {@code jar} instead of {@code target/wharf.jar} (e.g. the jar that Spring Boot's tools jar mode
     * extracts, beside its {@code lib/}), as {@link #launch(String, Path, int, List, List, Map)} does.
     */
    public static WharfProcess launch(String name, Path workDir, Path jar, int port, List<String> jvmOptions,
                                      List<String> arguments, Map<String, String> environment) throws IOException {
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1",
            "--logging.level.org.springframework.boot.availability=DEBUG"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Path log = workDir.resolve(name + "-" + System.nanoTime() + ".log");
        WharfProcess started = new WharfProcess(name, port, builder.start(), log);
        Thread pump = new Thread(started::pump, name + " output");
        pump.setDaemon(true);
        pump.start();
        return started;
    }

    private void pump() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line; (line = out.readLine()) != null; ) {
                file.write(line);
                file.newLine();
                file.flush();
                if (line.contains("ReadinessState changed") && line.contains("ACCEPTING_TRAFFIC")) {
                    ready.complete(null);
                }
            }
            ready.completeExceptionally(new AssertionError(name + " exited before it was ready; see " + log));
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
    }

    /** Waits until the node accepts traffic; fails when it exits first or is not ready within {@code timeout}. */
    public WharfProcess awaitReady(Duration timeout) throws InterruptedException {
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(name + " was not ready within " + timeout + "; see " + log);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage(), e.getCause());
        }
        return this;
    }

    /** The node's name in messages and its log file's name. */
    public String name() {
        return name;
    }

    /** The port the node listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** An anonymous client of this node. */
    public RegistryClient client() {
        return RegistryClient.forPort(port);
    }

    /** The lines the node has written so far. */
    public List<String> logLines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node's log file. */
    public Path log() {
        return log;
    }

    /** Whether the process is running. */
    public boolean alive() {
        return process.isAlive();
    }

    /** Kills the process at once ({@code SIGKILL}), as a crash or an OOM kill would, and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Stops the process gracefully ({@code SIGTERM}) and waits until it is gone. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }

    /** A free TCP port on the loopback interface. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
