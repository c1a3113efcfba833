package io.wharf.web.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;

import io.wharf.web.e2e.OciLayoutWriter.Descriptor;

/** Reads back an OCI image layout that skopeo wrote, checking every blob against its name. */
final class OciLayoutReader {

    private final Path root;

    OciLayoutReader(Path root) {
        this.root = root;
    }

    /** The descriptor index.json names {@code tag}. */
    Descriptor resolve(String tag) {
        JsonNode index = json(read(root.resolve("index.json")));
        for (JsonNode d : index.path("manifests")) {
            if (tag.equals(d.path("annotations").path(OciLayoutWriter.REF_NAME).asString())) {
                return descriptor(d);
            }
        }
        throw new AssertionError("no manifest tagged " + tag + " in " + root.resolve("index.json") + ":\n"
            + index);
    }

    byte[] blob(String digest) {
        return read(blobPath(digest));
    }

    Path blobPath(String digest) {
        return root.resolve("blobs").resolve("sha256").resolve(OciLayoutWriter.hex(digest));
    }

    /**
     * Every digest reachable from {@code top}: the index and its manifests, each manifest's config and layers. Fails
     * when a referenced blob is missing or its size differs from its descriptor.
     */
    Set<String> reachable(Descriptor top) {
        Set<String> digests = new LinkedHashSet<>();
        walk(top, digests);
        return digests;
    }

    private void walk(Descriptor d, Set<String> digests) {
        Path blob = blobPath(d.digest());
        if (!Files.isRegularFile(blob)) {
            throw new AssertionError("blob " + d.digest() + " (" + d.mediaType() + ") is missing from " + root);
        }
        try {
            if (Files.size(blob) != d.size()) {
                throw new AssertionError("blob " + d.digest() + " is " + Files.size(blob) + " bytes, descriptor says "
                    + d.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        digests.add(d.digest());
        String type = d.mediaType();
        if (OciLayoutWriter.OCI_INDEX.equals(type)
            || "application/vnd.docker.distribution.manifest.list.v2+json".equals(type)) {
            for (JsonNode m : json(blob(d.digest())).path("manifests")) {
                walk(descriptor(m), digests);
            }
        } else if (OciLayoutWriter.OCI_MANIFEST.equals(type) || OciLayoutWriter.DOCKER_MANIFEST.equals(type)) {
            JsonNode manifest = json(blob(d.digest()));
            walk(descriptor(manifest.path("config")), digests);
            for (JsonNode layer : manifest.path("layers")) {
                walk(descriptor(layer), digests);
            }
        }
    }

    /** Re-hashes every file under blobs/sha256 and fails on the first whose content does not match its name. */
    Set<String> verifyAllBlobs() {
        Set<String> digests = new TreeSet<>();
        try (Stream<Path> files = Files.list(root.resolve("blobs").resolve("sha256"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String expected = "sha256:" + file.getFileName();
                String actual = sha256(file);
                if (!expected.equals(actual)) {
                    throw new AssertionError("blob " + file.getFileName() + " in " + root + " hashes to " + actual);
                }
                digests.add(expected);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digests;
    }

    /**
     * Checks a {@code dir:} transport directory that skopeo wrote: every blob file hashes to its name. Returns the
     * manifest's digest followed by the digests of the blobs it references (config, then layers); fails when one is
     * missing or when the directory holds other blobs.
     */
    static Set<String> verifyDirTransport(Path dir) {
        try {
            byte[] manifestBytes = Files.readAllBytes(dir.resolve("manifest.json"));
            JsonNode manifest = json(manifestBytes);
            Set<String> digests = new LinkedHashSet<>();
            digests.add(OciLayoutWriter.sha256(manifestBytes));
            List<JsonNode> referenced = new ArrayList<>();
            referenced.add(manifest.path("config"));
            manifest.path("layers").forEach(referenced::add);
            for (JsonNode d : referenced) {
                Descriptor descriptor = descriptor(d);
                Path file = dir.resolve(OciLayoutWriter.hex(descriptor.digest()));
                if (!Files.isRegularFile(file)) {
                    throw new AssertionError("blob " + descriptor.digest() + " is missing from " + dir);
                }
                String actual = sha256(file);
                if (!actual.equals(descriptor.digest()) || Files.size(file) != descriptor.size()) {
                    throw new AssertionError("blob " + descriptor.digest() + " in " + dir + " hashes to " + actual
                        + " (" + Files.size(file) + " bytes, descriptor says " + descriptor.size() + ")");
                }
                digests.add(descriptor.digest());
            }
            try (Stream<Path> files = Files.list(dir)) {
                List<String> extra = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("[0-9a-f]{64}") && !digests.contains("sha256:" + n))
                    .toList();
                if (!extra.isEmpty()) {
                    throw new AssertionError("unreferenced blobs in " + dir + ": " + extra);
                }
            }
            return digests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Descriptor descriptor(JsonNode d) {
        return new Descriptor(d.path("mediaType").asString(), d.path("digest").asString(), d.path("size").asLong());
    }

    static JsonNode json(byte[] bytes) {
        return OciLayoutWriter.JSON.readTree(bytes);
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
