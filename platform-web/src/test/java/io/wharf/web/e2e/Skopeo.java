package io.wharf.web.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code skopeo} binary with a timeout. Output goes to files (no pipe can fill up and stall the
 * process); a failed or timed-out run throws an {@link AssertionError} that carries the command line, exit code,
 * stdout and stderr.
 *
 * <p>Every run gets {@code --insecure-policy}, a private {@code --tmpdir} and its own auth file (empty until
 * {@link #login}), so the machine's {@code /etc/containers} and any user credentials play no part.
 */
final class Skopeo {

    record Result(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {
        String describe() {
            return "$ " + String.join(" ", command) + "\nexit code: " + exitCode + " after " + elapsed.toMillis()
                + " ms\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    private final Path executable;
    private final Path workDir;
    private final Path authFile;
    private int runs;

    private Skopeo(Path executable, Path workDir) {
        this.executable = executable;
        this.workDir = workDir;
        try {
            Files.createDirectories(workDir.resolve("tmp"));
            this.authFile = workDir.resolve("auth.json");
            Files.writeString(authFile, "{\"auths\":{}}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The skopeo named by the system property {@code wharf.e2e.skopeo}, else the first on the PATH, when it answers
     * {@code --version}.
     */
    static Optional<Path> find() {
        List<Path> candidates = new ArrayList<>();
        String override = System.getProperty("wharf.e2e.skopeo");
        String path = System.getenv("PATH");
        if (override != null && !override.isBlank()) {
            candidates.add(Path.of(override));
        } else if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir, "skopeo"));
                }
            }
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                try {
                    Process p = new ProcessBuilder(candidate.toString(), "--version").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                        return Optional.of(candidate);
                    }
                    p.destroyForcibly();
                } catch (IOException e) {
                    // not runnable; try the next
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    static Skopeo at(Path executable, Path workDir) {
        return new Skopeo(executable, workDir);
    }

    String version() {
        return run(Duration.ofSeconds(30), "--version").stdout().trim();
    }

    /**
     * {@code skopeo login} to a plain HTTP registry: checks the credentials against it and keeps them in this
     * instance's auth file, which every later run uses. The password goes in on standard input.
     */
    void login(String registry, String username, String password) {
        Result result = execute(Duration.ofSeconds(60), password + "\n", "login", "--tls-verify=false", "--username",
            username, "--password-stdin", registry);
        if (result.exitCode() != 0) {
            throw new AssertionError("skopeo login failed\n" + result.describe());
        }
    }

    /** Runs {@code skopeo <args>} and fails the test unless it exits 0 within {@code timeout}. */
    Result run(Duration timeout, String... args) {
        Result result = attempt(timeout, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("skopeo failed\n" + result.describe());
        }
        return result;
    }

    /** Runs {@code skopeo <args>}; a non-zero exit is returned, a timeout still fails the test. */
    Result attempt(Duration timeout, String... args) {
        return execute(timeout, null, args);
    }

    /** Runs {@code skopeo <args>} with {@code input} (or nothing) on its standard input. */
    private synchronized Result execute(Duration timeout, String input, String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.add("--insecure-policy");
        command.add("--tmpdir");
        command.add(workDir.resolve("tmp").toString());
        command.addAll(List.of(args));
        int n = ++runs;
        Path out = workDir.resolve("run-" + n + ".out");
        Path err = workDir.resolve("run-" + n + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
        builder.environment().put("REGISTRY_AUTH_FILE", authFile.toString());
        builder.environment().put("TMPDIR", workDir.resolve("tmp").toString());
        long start = System.nanoTime();
        try {
            Process process = builder.start();
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            Result result = new Result(command, finished ? process.exitValue() : -1, read(out), read(err),
                Duration.ofNanos(System.nanoTime() - start));
            if (!finished) {
                throw new AssertionError("skopeo timed out after " + timeout + "\n" + result.describe());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
