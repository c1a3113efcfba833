package io.wharf.web.deploy;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
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

    private final List<String> instructions = RepositoryFiles.dockerfileInstructions();

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
        String options = RepositoryFiles.dockerfileEnvironment().get("JAVA_TOOL_OPTIONS");
        // the heap is half the memory limit (1 GiB in compose and the chart), the serial collector, exit on OOM
        assertThat(options).isEqualTo("-XX:MaxRAMPercentage=50.0 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError");
        assertThat(RepositoryFiles.read("docker-compose.yml")).contains("JAVA_TOOL_OPTIONS: " + options + "\n");
        assertThat(RepositoryFiles.read("helm/wharf/values.yaml")).contains("javaToolOptions: \"" + options + "\"");
    }

    /**
     * The README's class data sharing commands ("Resource needs of one node") are the image's: the same extraction,
     * training run and start with the archive, apart from paths, the heap and collector options (the image's come
     * from {@code JAVA_TOOL_OPTIONS}) and the training run's listening address. {@code ClassDataSharingIT} runs the
     * image's.
     */
    @Test
    void theReadmeShowsTheImagesClassDataSharingSteps() {
        String readme = RepositoryFiles.read("README.md");
        String section = readme.substring(readme.indexOf("**Start faster with class data sharing (CDS).**"));
        int start = section.indexOf("```sh\n") + "```sh\n".length();
        String block = section.substring(start, section.indexOf("\n```", start));
        List<String> readmeCommands = List.of(block.replace("\\\n", " ").replaceAll(" +", " ").split("\n"));
        assertThat(readmeCommands).hasSize(3);
        List<List<String>> image = RepositoryFiles.dockerfileRun("-XX:ArchiveClassesAtExit=");
        assertThat(image).hasSize(3);
        assertThat(image.get(2).get(0)).as("the training run ends by removing its data").isEqualTo("rm");

        List<String> readmeExtract = List.of(readmeCommands.get(0).split(" "));
        String readmeJar = after(readmeExtract, "-jar");
        String readmeApp = after(readmeExtract, "--destination");
        String imageJar = after(image.get(0), "-jar");
        String imageApp = after(image.get(0), "--destination");
        List<List<String>> readmeSteps = readmeCommands.stream()
            .map(c -> normalized(c, readmeJar, readmeApp)).toList();
        List<List<String>> imageSteps = List.of(normalized(String.join(" ", image.get(0)), imageJar, imageApp),
            normalized(String.join(" ", image.get(1)), imageJar, imageApp),
            normalized(String.join(" ", RepositoryFiles.dockerfileEntrypoint()), imageJar, imageApp));
        assertThat(readmeSteps).isEqualTo(imageSteps);
        assertThat(readmeSteps.get(1)).contains("-XX:ArchiveClassesAtExit=APP/wharf.jsa", "-Dspring.context.exit=onRefresh");
        assertThat(readmeSteps.get(2)).contains("-XX:SharedArchiveFile=APP/wharf.jsa");
        // the start with the archive has the options the section opens with
        Matcher options = Pattern.compile("```sh\njava (-Xmx\\S+ -XX:\\S+ -XX:\\S+) -jar").matcher(readme);
        assertThat(options.find()).isTrue();
        assertThat(readmeCommands.get(2)).startsWith("java " + options.group(1) + " -XX:SharedArchiveFile=");
    }

    /**
     * The command's words without heap, collector and address options, the jar, the extracted directory and the
     * training run's data directory named alike.
     */
    private static List<String> normalized(String command, String jar, String app) {
        return Arrays.stream(command.replaceAll("--wharf\\.data-dir=(\"[^\"]*\"|\\S+)", "--wharf.data-dir=TMP").split(" "))
            .filter(w -> !w.matches("-Xmx\\S+|-XX:\\+UseSerialGC|-XX:\\+ExitOnOutOfMemoryError|--server\\.(port|address)=\\S+"))
            .map(w -> w.replace(jar, "JAR").replace(app, "APP"))
            .toList();
    }

    private static String after(List<String> words, String option) {
        int at = words.indexOf(option);
        assertThat(at).as(option + " in " + words).isNotNegative().isLessThan(words.size() - 1);
        return words.get(at + 1);
    }

    private int lastIndexStartingWith(String prefix) {
        for (int i = instructions.size() - 1; i >= 0; i--) {
            if (instructions.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
