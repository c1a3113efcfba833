package io.wharf.web.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deployment files at the repository's root ({@code Dockerfile}, {@code docker-compose.yml},
 * {@code deploy/}, {@code helm/}), found from the module's working directory, and a YAML reader
 * that knows only plain maps, lists and scalars (with merge keys, as Compose uses them).
 */
final class RepositoryFiles {

    /** One {@code KEY=value} or {@code KEY="value"} of an {@code ENV} instruction. */
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"([^\"]*)\"|(\\S*))");

    private RepositoryFiles() {
    }

    /** The repository root: the nearest directory up from the working directory that holds {@code mvnw}. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no repository root (with mvnw) above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static String read(String relativePath) {
        try {
            return Files.readString(root().resolve(relativePath), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One YAML document as maps, lists and scalars. */
    static Map<String, Object> yaml(String text) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    }

    /** Every non-empty document of a multi-document YAML stream (as {@code helm template} prints). */
    static List<Map<String, Object>> yamlDocuments(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (document != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) document;
                documents.add(map);
            }
        }
        return documents;
    }

    /** The value at a dotted path of nested maps ({@code "spec.template.spec"}), or null. */
    @SuppressWarnings("unchecked")
    static <T> T at(Map<String, Object> map, String path) {
        Object current = map;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return (T) current;
    }

    /** The root {@code Dockerfile}'s instructions, continuation lines joined, whitespace collapsed, comments dropped. */
    static List<String> dockerfileInstructions() {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : read("Dockerfile").lines().toList()) {
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

    /** The variables that the {@code Dockerfile}'s {@code ENV} instructions set, in their order, quotes removed. */
    static Map<String, String> dockerfileEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String instruction : dockerfileInstructions()) {
            if (instruction.startsWith("ENV ")) {
                Matcher pair = ENV_PAIR.matcher(instruction.substring("ENV ".length()));
                while (pair.find()) {
                    environment.put(pair.group(1), pair.group(3) != null ? pair.group(3) : pair.group(4));
                }
            }
        }
        return environment;
    }

    /**
     * The commands of the {@code Dockerfile}'s {@code RUN} instruction that contains {@code marker}, split at
     * {@code &&}, each as its words; fails when that instruction quotes or substitutes anything, which a split at
     * spaces would get wrong.
     */
    static List<List<String>> dockerfileRun(String marker) {
        List<String> runs = dockerfileInstructions().stream()
            .filter(i -> i.startsWith("RUN ") && i.contains(marker)).toList();
        if (runs.size() != 1) {
            throw new IllegalStateException("not one RUN instruction with " + marker + ": " + runs);
        }
        String run = runs.get(0).substring("RUN ".length());
        if (run.matches(".*[\"'$`;|].*")) {
            throw new IllegalStateException("quoting, substitution or a separator other than && in: " + run);
        }
        return Arrays.stream(run.split("&&")).map(command -> List.of(command.trim().split(" "))).toList();
    }

    /** The words of the {@code Dockerfile}'s {@code ENTRYPOINT}, which must be in exec form (a JSON array). */
    static List<String> dockerfileEntrypoint() {
        List<String> entrypoints = dockerfileInstructions().stream().filter(i -> i.startsWith("ENTRYPOINT ")).toList();
        if (entrypoints.size() != 1 || !entrypoints.get(0).matches("ENTRYPOINT \\[.*]")) {
            throw new IllegalStateException("not one ENTRYPOINT in exec form: " + entrypoints);
        }
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("\"([^\"\\\\]*)\"").matcher(entrypoints.get(0));
        while (word.find()) {
            words.add(word.group(1));
        }
        return words;
    }
}
