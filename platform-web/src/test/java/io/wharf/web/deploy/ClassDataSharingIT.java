package io.wharf.web.deploy;

import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.web.cluster.WharfProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code Dockerfile}'s class data sharing steps run on the built jar, without Docker: the commands of its
 * training {@code RUN} instruction and its {@code ENTRYPOINT}, read from the file, with the image's {@code ENV}
 * and with every absolute path of the image placed under a temporary directory. The extraction and the training
 * run on a throwaway data directory must end with exit code 0 and leave a non-empty archive, and the entry point,
 * given {@code -Xshare:on} (the JVM then refuses to start when it cannot map the archive, e.g. for a class path
 * that differs from the training run's), serves {@code /v2/} with Wharf's classes loaded from the archive.
 * {@code DockerfileTest} holds the README's commands ("Resource needs of one node") to the same steps.
 */
class ClassDataSharingIT {

    /** The training run's deadline, on a machine shared with other builds; it usually takes a minute or two. */
    private static final Duration TRAINING = Duration.ofMinutes(10);
    /** The README's heap for one node instead of the container's (half of 1 GiB), to keep the test small. */
    private static final String HEAP = "-Xmx160m";
    private static final Pattern IMAGE_PATH = Pattern.compile("(^|=)/");

    /** Stands for the image's root directory. */
    @TempDir
    Path image;

    private Process training;
    private WharfProcess node;

    @AfterEach
    void stop() throws Exception {
        if (training != null && training.isAlive()) {
            training.destroyForcibly();
            training.waitFor();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theImagesTrainingRunWritesAnArchiveThatItsEntrypointMaps() throws Exception {
        Map<String, String> environment = new HashMap<>();
        RepositoryFiles.dockerfileEnvironment().forEach((key, value) -> environment.put(key, inImage(value)));
        assertThat(environment.get("JAVA_TOOL_OPTIONS")).contains("-XX:+UseSerialGC");
        Path workDir = Path.of(inImage(single("WORKDIR ")));
        Files.createDirectories(workDir);
        Files.createDirectories(Path.of(environment.get("WHARF_DATA_DIR")));
        copyTheJarAsTheImageDoes();

        List<List<String>> steps = RepositoryFiles.dockerfileRun("-XX:ArchiveClassesAtExit=");
        Path archive = null;
        for (List<String> step : steps) {
            if (step.get(0).equals("rm")) {
                continue;
            }
            List<String> command = step.stream().map(this::inImage).toList();
            run(command, environment, workDir);
            for (String word : command) {
                if (word.startsWith("-XX:ArchiveClassesAtExit=")) {
                    archive = Path.of(word.substring("-XX:ArchiveClassesAtExit=".length()));
                }
            }
        }
        assertThat(archive).isNotNull();
        assertThat(Files.size(archive)).as("the archive %s", archive).isPositive();

        List<String> entrypoint = RepositoryFiles.dockerfileEntrypoint().stream().map(this::inImage).toList();
        int jar = entrypoint.indexOf("-jar");
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(jar).as("java <options> -jar <jar>").isEqualTo(entrypoint.size() - 2);
        assertThat(entrypoint).contains("-XX:SharedArchiveFile=" + archive);
        Path classLoading = image.resolve("class-load.log");
        List<String> options = new ArrayList<>(entrypoint.subList(1, jar));
        options.addAll(List.of(HEAP, "-Xshare:on", "-Xlog:class+load=info:file=" + classLoading));
        environment.put(TestAccounts.ADMIN_PASSWORD_ENV, TestAccounts.ADMIN_PASSWORD);
        int port = WharfProcess.freePort();
        node = WharfProcess.launch("wharf-cds", workDir, Path.of(entrypoint.get(jar + 1)), port, options, List.of(),
            environment).awaitReady(Duration.ofMinutes(5));

        Response v2 = RegistryClient.forPort(port).get("/v2/");
        assertThat(v2.status()).as(v2.text()).isEqualTo(401);
        // the application's own classes came from the archive of the training run (its "top" layer)
        assertThat(Files.readAllLines(classLoading, StandardCharsets.UTF_8))
            .anyMatch(line -> line.contains(" io.wharf.web.PlatformApplication source: shared objects file (top)"));
        assertThat(node.logLines()).noneMatch(line -> line.contains("[cds]") && line.contains("warning"));
    }

    /** The image's {@code COPY} of the built jar, from the repository to its place in the image. */
    private void copyTheJarAsTheImageDoes() throws IOException {
        Matcher copy = Pattern.compile("(?:--\\S+ )*(platform-web/target/wharf\\.jar) (/\\S+)").matcher(single("COPY "));
        assertThat(copy.matches()).as("COPY of the jar").isTrue();
        Path target = Path.of(inImage(copy.group(2)));
        Files.createDirectories(target.getParent());
        Files.copy(RepositoryFiles.root().resolve(copy.group(1)), target);
    }

    /** Runs one command of the {@code RUN} instruction and requires exit code 0 within {@link #TRAINING}. */
    private void run(List<String> command, Map<String, String> environment, Path workDir) throws Exception {
        List<String> withJava = new ArrayList<>(command);
        assertThat(withJava.get(0)).isEqualTo("java");
        withJava.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path log = image.resolve("run-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(withJava).directory(workDir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        training = builder.start();
        boolean ended = training.waitFor(TRAINING.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(ended).as("%s ended within %s; see %s", command, TRAINING, log).isTrue();
        assertThat(training.exitValue()).as("exit code of %s; see %s", command, log).isZero();
    }

    private static String single(String prefix) {
        List<String> found = RepositoryFiles.dockerfileInstructions().stream().filter(i -> i.startsWith(prefix)).toList();
        assertThat(found).as(prefix + "instructions").hasSize(1);
        return found.get(0).substring(prefix.length()).trim();
    }

    /** A word of the Dockerfile with its absolute image path (alone or after {@code =}) under {@link #image}. */
    private String inImage(String word) {
        return IMAGE_PATH.matcher(word).replaceAll(match -> match.group(1) + Matcher.quoteReplacement(image + "/"));
    }
}
