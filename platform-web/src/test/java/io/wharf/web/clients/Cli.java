package io.wharf.web.clients;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a client binary (skopeo, podman, docker) with a timeout in an isolated environment: {@code HOME},
 * {@code TMPDIR} and the XDG directories point into a private work directory, and variables that could lead a client
 * to the machine's own credentials or daemons ({@code DOCKER_*}, {@code REGISTRY_AUTH_FILE}, {@code CONTAINERS_*})
 * are dropped unless given explicitly. Output goes to files, so no pipe can fill up and stall the process.
 */
public final class Cli {

    /** A finished run: the command line, its exit code and what it wrote. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** Standard output and standard error together. */
        public String output() {
            return stdout + stderr;
        }

        /** The command, exit code and output, for assertion messages. */
        public String describe() {
            return "$ " + String.join(" ", command) + "\nexit code: " + exitCode + "\n--- stdout ---\n" + stdout
                + "\n--- stderr ---\n" + stderr;
        }
    }

    private final Path executable;
    private final Path workDir;
    private final Map<String, String> environment;
    private final List<String> globalArgs;
    private final AtomicInteger runs = new AtomicInteger();

    private Cli(Path executable, Path workDir, Map<String, String> environment, List<String> globalArgs) {
        this.executable = executable;
        this.workDir = workDir;
        this.environment = environment;
        this.globalArgs = globalArgs;
    }

    /** A client run from {@code workDir} (created), with {@code extraEnvironment} on top of the isolated defaults. */
    public static Cli of(Path executable, Path workDir, Map<String, String> extraEnvironment, List<String> globalArgs) {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String dir : List.of("home", "tmp", "xdg-runtime", "xdg-config", "xdg-data", "xdg-cache")) {
                Files.createDirectories(workDir.resolve(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("HOME", workDir.resolve("home").toString());
        env.put("TMPDIR", workDir.resolve("tmp").toString());
        env.put("XDG_RUNTIME_DIR", workDir.resolve("xdg-runtime").toString());
        env.put("XDG_CONFIG_HOME", workDir.resolve("xdg-config").toString());
        env.put("XDG_DATA_HOME", workDir.resolve("xdg-data").toString());
        env.put("XDG_CACHE_HOME", workDir.resolve("xdg-cache").toString());
        env.putAll(extraEnvironment);
        return new Cli(executable, workDir, env, List.copyOf(globalArgs));
    }

    /**
     * Goes on only when {@code available}: a missing client (or one that cannot run here) skips the
     * test locally, with {@code why}; with {@code CI=true}, where {@code .ci/run} installs every
     * client and each one works, it fails instead, so a client test never passes as skipped in CI.
     */
    public static void require(boolean available, String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            org.assertj.core.api.Assertions.assertThat(available).as(why + " (required when CI=true)").isTrue();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(available, why);
    }

    /**
     * skopeo from the PATH, run from {@code work} with an empty auth file ({@code REGISTRY_AUTH_FILE}), so only the
     * credentials a test gives ({@code --creds}, {@code --authfile}) count; {@link #require required}.
     */
    public static Cli skopeo(Path work) {
        Optional<Path> binary = onPath("skopeo");
        require(binary.isPresent(), "skopeo is not installed");
        Path empty;
        try {
            Files.createDirectories(work);
            empty = Files.writeString(work.resolve("no-auth.json"), "{\"auths\":{}}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return of(binary.get(), work, Map.of("REGISTRY_AUTH_FILE", empty.toString()),
            List.of("--insecure-policy", "--tmpdir", work.resolve("tmp").toString()));
    }

    /** The first executable called {@code name} on the PATH that answers {@code --version}. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isBlank() && works(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code binary} exists, is executable and exits 0 on {@code --version}. */
    public static boolean works(Path binary) {
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(30, TimeUnit.SECONDS)) {
                return p.exitValue() == 0;
            }
            p.destroyForcibly();
            return false;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Path workDir() {
        return workDir;
    }

    /** Runs the client; a non-zero exit is returned, a timeout fails the test. */
    public Result run(Duration timeout, String... args) {
        return runWithInput(timeout, null, args);
    }

    /** Runs the client with {@code stdin} (when not null) written to its standard input. */
    public Result runWithInput(Duration timeout, String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(globalArgs);
        command.addAll(List.of(args));
        int n = runs.incrementAndGet();
        Path out = workDir.resolve("run-" + n + ".out");
        Path err = workDir.resolve("run-" + n + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("DOCKER_") || key.startsWith("CONTAINERS_")
            || key.equals("REGISTRY_AUTH_FILE") || key.startsWith("XDG_"));
        env.putAll(environment);
        try {
            Process process = builder.start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            Result result = new Result(command, finished ? process.exitValue() : -1, read(out), read(err));
            if (!finished) {
                throw new AssertionError("timed out after " + timeout + "\n" + result.describe());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /** Runs the client and fails the test unless it exits 0. */
    public Result ok(Duration timeout, String... args) {
        Result result = run(timeout, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("expected success\n" + result.describe());
        }
        return result;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
