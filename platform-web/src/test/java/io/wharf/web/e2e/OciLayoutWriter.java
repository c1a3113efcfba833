package io.wharf.web.e2e;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes OCI image layouts (<a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">image-spec
 * image-layout</a>): {@code oci-layout}, {@code index.json} and {@code blobs/sha256/<hex>}. Layers are real gzip'd tar
 * streams, written straight to disk while both their compressed digest and their diff_id (digest of the uncompressed
 * tar) are computed, so a layer of any size never sits in memory.
 *
 * <p>Everything is deterministic: the same calls produce the same bytes and so the same digests.
 */
final class OciLayoutWriter {

    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    static final String REF_NAME = "org.opencontainers.image.ref.name";

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Which family of media types an image uses. */
    enum Flavor {
        OCI(OCI_MANIFEST, OCI_CONFIG, OCI_LAYER_GZIP),
        DOCKER(DOCKER_MANIFEST, DOCKER_CONFIG, DOCKER_LAYER_GZIP);

        final String manifestType;
        final String configType;
        final String layerType;

        Flavor(String manifestType, String configType, String layerType) {
            this.manifestType = manifestType;
            this.configType = configType;
            this.layerType = layerType;
        }
    }

    record Platform(String os, String architecture, String variant) {
        static Platform of(String os, String architecture) {
            return new Platform(os, architecture, null);
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("architecture", architecture);
            m.put("os", os);
            if (variant != null) {
                m.put("variant", variant);
            }
            return m;
        }
    }

    record Descriptor(String mediaType, String digest, long size) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mediaType", mediaType);
            m.put("digest", digest);
            m.put("size", size);
            return m;
        }
    }

    record Layer(Descriptor descriptor, String diffId, long uncompressedSize) {
    }

    record Image(Descriptor manifest, Descriptor config, List<Layer> layers, byte[] manifestBytes) {
        /** Every blob digest the image consists of: manifest, config and layers. */
        Set<String> digests() {
            Set<String> all = new LinkedHashSet<>();
            all.add(manifest.digest());
            all.add(config.digest());
            layers.forEach(l -> all.add(l.descriptor().digest()));
            return all;
        }
    }

    record Index(Descriptor descriptor, List<Image> images, byte[] indexBytes) {
        Set<String> digests() {
            Set<String> all = new LinkedHashSet<>();
            all.add(descriptor.digest());
            images.forEach(i -> all.addAll(i.digests()));
            return all;
        }
    }

    /** One entry of a layer's tar stream. */
    interface Entry {
        void writeTo(TarWriter tar) throws IOException;

        static Entry directory(String name) {
            return tar -> tar.directory(name);
        }

        static Entry text(String name, String content) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            return tar -> tar.file(name, bytes);
        }

        /** {@code size} bytes of deterministic pseudo-random (incompressible) data, generated while written. */
        static Entry random(String name, long size, long seed) {
            return tar -> {
                tar.file(name, size);
                byte[] buffer = new byte[1 << 20];
                long[] words = new long[buffer.length / Long.BYTES];
                long x = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
                long remaining = size;
                while (remaining > 0) {
                    for (int i = 0; i < words.length; i++) {
                        // xorshift64*
                        x ^= x >>> 12;
                        x ^= x << 25;
                        x ^= x >>> 27;
                        words[i] = x * 0x2545F4914F6CDD1DL;
                    }
                    ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(words);
                    int n = (int) Math.min(buffer.length, remaining);
                    tar.write(buffer, 0, n);
                    remaining -= n;
                }
            };
        }
    }

    private final Path root;
    private final Path blobs;
    private final List<Map<String, Object>> refs = new ArrayList<>();
    private int gzipLevel = Deflater.BEST_SPEED;

    OciLayoutWriter(Path root) {
        this.root = root;
        this.blobs = root.resolve("blobs").resolve("sha256");
        try {
            Files.createDirectories(blobs);
            Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            writeIndexJson();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The deflate level of the layers written from now on. {@link Deflater#NO_COMPRESSION} still gives a valid gzip
     * stream (stored blocks) and suits random data, which does not compress anyway but on which zlib spends seconds
     * per hundred MiB trying.
     */
    OciLayoutWriter gzipLevel(int level) {
        this.gzipLevel = level;
        return this;
    }

    Path root() {
        return root;
    }

    Descriptor writeBlob(String mediaType, byte[] content) {
        String digest = sha256(content);
        try {
            Path target = blobs.resolve(hex(digest));
            if (!Files.exists(target)) {
                Files.write(target, content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Descriptor(mediaType, digest, content.length);
    }

    Descriptor writeJson(String mediaType, Object value) {
        return writeBlob(mediaType, JSON.writeValueAsBytes(value));
    }

    /** Streams a gzip'd tar of {@code entries} into the layout. */
    Layer writeLayer(String mediaType, List<Entry> entries) {
        try {
            Path tmp = Files.createTempFile(blobs.getParent(), "layer-", ".tmp");
            MessageDigest compressedDigest = MessageDigest.getInstance("SHA-256");
            MessageDigest tarDigest = MessageDigest.getInstance("SHA-256");
            CountingOutputStream compressed;
            CountingOutputStream uncompressed;
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                compressed = new CountingOutputStream(new DigestOutputStream(file, compressedDigest));
                LeveledGzipOutputStream gzip = new LeveledGzipOutputStream(compressed, gzipLevel);
                uncompressed = new CountingOutputStream(new DigestOutputStream(gzip, tarDigest));
                try (TarWriter tar = new TarWriter(uncompressed)) {
                    for (Entry entry : entries) {
                        entry.writeTo(tar);
                    }
                }
                gzip.finish();
                compressed.flush();
            }
            String digest = "sha256:" + HexFormat.of().formatHex(compressedDigest.digest());
            String diffId = "sha256:" + HexFormat.of().formatHex(tarDigest.digest());
            Files.move(tmp, blobs.resolve(hex(digest)), StandardCopyOption.REPLACE_EXISTING);
            return new Layer(new Descriptor(mediaType, digest, compressed.count), diffId, uncompressed.count);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the layers, a config whose rootfs.diff_ids match them, and the manifest. */
    Image writeImage(Flavor flavor, Platform platform, List<List<Entry>> layerEntries) {
        List<Layer> layers = new ArrayList<>();
        for (List<Entry> entries : layerEntries) {
            layers.add(writeLayer(flavor.layerType, entries));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("created", "2024-01-01T00:00:00Z");
        config.put("architecture", platform.architecture());
        if (platform.variant() != null) {
            config.put("variant", platform.variant());
        }
        config.put("os", platform.os());
        config.put("config", Map.of("Env", List.of("PATH=/usr/local/bin:/usr/bin:/bin"), "Cmd", List.of("/bin/sh")));
        config.put("rootfs", Map.of("type", "layers", "diff_ids", layers.stream().map(Layer::diffId).toList()));
        config.put("history", layers.stream()
            .map(l -> Map.of("created", "2024-01-01T00:00:00Z", "created_by", "wharf e2e test layer " + l.diffId()))
            .toList());
        Descriptor configDescriptor = writeJson(flavor.configType, config);

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", flavor.manifestType);
        manifest.put("config", configDescriptor.toJson());
        manifest.put("layers", layers.stream().map(l -> l.descriptor().toJson()).toList());
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        Descriptor manifestDescriptor = writeBlob(flavor.manifestType, manifestBytes);
        return new Image(manifestDescriptor, configDescriptor, layers, manifestBytes);
    }

    /** Writes an OCI image index over {@code images}, each described with its platform. */
    Index writeIndex(Map<Platform, Image> images) {
        List<Map<String, Object>> manifests = new ArrayList<>();
        images.forEach((platform, image) -> {
            Map<String, Object> d = image.manifest().toJson();
            d.put("platform", platform.toJson());
            manifests.add(d);
        });
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", OCI_INDEX);
        index.put("manifests", manifests);
        byte[] bytes = JSON.writeValueAsBytes(index);
        return new Index(writeBlob(OCI_INDEX, bytes), List.copyOf(images.values()), bytes);
    }

    /** Names {@code descriptor} {@code tag} in the layout's index.json (what {@code oci:<dir>:<tag>} resolves). */
    OciLayoutWriter tag(String tag, Descriptor descriptor) {
        Map<String, Object> ref = descriptor.toJson();
        ref.put("annotations", Map.of(REF_NAME, tag));
        refs.add(ref);
        try {
            writeIndexJson();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Writes {@code image} (whose blobs are in this layout) as a {@code dir:} transport directory: {@code
     * manifest.json}, one file per blob named by its hex digest, and {@code version}. Unlike skopeo's OCI layout
     * transport, which only resolves OCI media types, {@code dir:} carries a Docker schema 2 manifest byte for byte.
     */
    Path exportDirTransport(Image image, Path target) {
        try {
            Files.createDirectories(target);
            Files.writeString(target.resolve("version"), "Directory Transport Version: 1.1\n");
            Files.write(target.resolve("manifest.json"), image.manifestBytes());
            for (String digest : image.digests()) {
                if (!digest.equals(image.manifest().digest())) {
                    Files.copy(blobs.resolve(hex(digest)), target.resolve(hex(digest)),
                        StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeIndexJson() throws IOException {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", OCI_INDEX);
        index.put("manifests", refs);
        Files.write(root.resolve("index.json"), JSON.writeValueAsBytes(index));
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(String digest) {
        if (!digest.startsWith("sha256:")) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return digest.substring("sha256:".length());
    }

    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, 1 << 16);
            def.setLevel(level);
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
