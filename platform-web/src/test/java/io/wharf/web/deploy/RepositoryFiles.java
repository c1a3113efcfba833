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
import java.util.List;
import java.util.Map;

/**
 * The deployment files at the repository's root ({@code Dockerfile}, {@code docker-compose.yml},
 * {@code deploy/}, {@code helm/}), found from the module's working directory, and a YAML reader
 * that knows only plain maps, lists and scalars (with merge keys, as Compose uses them).
 */
final class RepositoryFiles {

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
}
