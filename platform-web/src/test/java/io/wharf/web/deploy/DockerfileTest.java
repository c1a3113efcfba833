package io.wharf.web.deploy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The root {@code Dockerfile}: a Java runtime (not a JDK) as base, the prebuilt jar, a non-root user,
 * the registry port, a health check on an endpoint that answers without credentials, and the class data
 * sharing archive of a training run at build time; compose and the chart pass the image's JVM options.
 * Static checks: no Docker engine is needed.
 */
class DockerfileTest {

    private final List<String> instructions = instructions(RepositoryFiles.read("Dockerfile"));

    @Test
    void startsFromAJavaRuntimeImage() {
        assertThat(instructions).filteredOn(i -> i.startsWith("FROM ")).singleElement()
            .asString().matches("FROM eclipse-temurin:17[0-9._]*-jre\\S*");
    }

    @Test
    void runsAsANonRootUser() {
        List<String> users = instructions.stream().filter(i -> i.startsWith("USER ")).toList();
        assertThat(users).isNotEmpty();
        String last = users.get(users.size() - 1).substring("USER ".length()).trim();
        assertThat(last.split(":")[0]).isNotIn("root", "0");
        // set after the last RUN: the setup runs as root, the process does not
        assertThat(instructions.indexOf(users.get(users.size() - 1)))
            .isGreaterThan(lastIndexStartingWith("RUN "));
    }

    @Test
    void checksHealthOnAnOpenEndpointOfThePublishedPort() {
        assertThat(instructions).filteredOn(i -> i.startsWith("EXPOSE ")).singleElement().isEqualTo("EXPOSE 5000");
        assertThat(instructions).filteredOn(i -> i.startsWith("HEALTHCHECK ")).singleElement().asString()
            .contains(" CMD ")
            .containsPattern("http://(127\\.0\\.0\\.1|localhost):5000/(actuator/health|api/v2\\.0/health)");
        // /actuator/health is exposed (application.yml) and open (SecurityConfiguration's actuator chain)
        assertThat(RepositoryFiles.read("platform-web/src/main/resources/application.yml")).contains("include: health,");
    }

    @Test
    void runsThePrebuiltJarWithContainerAwareHeap() {
        assertThat(instructions).anyMatch(i -> i.matches("COPY .*platform-web/target/wharf\\.jar .*"));
        assertThat(instructions).anyMatch(i -> i.startsWith("ENTRYPOINT ") && i.contains("wharf.jar"));
        assertThat(instructions).anyMatch(i -> i.startsWith("ENV ") && i.contains("JAVA_TOOL_OPTIONS=")
            && i.contains("MaxRAMPercentage"));
        assertThat(instructions).anyMatch(i -> i.startsWith("VOLUME ") && i.contains("/var/lib/wharf"));
        // the build context holds the jar and nothing else
        assertThat(RepositoryFiles.read(".dockerignore").lines().map(String::trim).toList())
            .contains("*", "!platform-web/target/wharf.jar");
    }

    @Test
    void startsWithTheClassDataSharingArchiveOfATrainingRunOnAThrowawayDataDirectory() {
        String training = instructions.stream().filter(i -> i.startsWith("RUN ") && i.contains("-XX:ArchiveClassesAtExit="))
            .findFirst().orElseThrow();
        Matcher archive = Pattern.compile("-XX:ArchiveClassesAtExit=(\\S+)").matcher(training);
        assertThat(archive.find()).isTrue();
        // the context stops once refreshed; the embedded database of the run is removed, not the volume's
        assertThat(training).contains("-Dspring.context.exit=onRefresh", "--wharf.data-dir=/tmp/")
            .doesNotContain("SPRING_DATASOURCE_URL");
        assertThat(instructions).filteredOn(i -> i.startsWith("ENTRYPOINT ")).singleElement().asString()
            .contains("\"-XX:SharedArchiveFile=" + archive.group(1) + "\"");
    }

    @Test
    void composeAndTheChartPassTheImagesJvmOptions() {
        Matcher options = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]+)\"").matcher(String.join("\n", instructions));
        assertThat(options.find()).isTrue();
        assertThat(RepositoryFiles.read("docker-compose.yml")).contains("JAVA_TOOL_OPTIONS: " + options.group(1) + "\n");
        assertThat(RepositoryFiles.read("helm/wharf/values.yaml")).contains("javaToolOptions: \"" + options.group(1) + "\"");
    }

    private int lastIndexStartingWith(String prefix) {
        for (int i = instructions.size() - 1; i >= 0; i--) {
            if (instructions.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** Instructions with continuation lines joined and comments dropped. */
    private static List<String> instructions(String dockerfile) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.lines().toList()) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            result.add(current.toString().replaceAll("\\s+", " ").trim());
            current.setLength(0);
        }
        return result;
    }
}
