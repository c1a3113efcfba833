package io.wharf.testkit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The one image builder of the tests. An instance is a single-platform image held in memory (config, layers and
 * a manifest, OCI or Docker schema 2) to push with {@link RegistryClient#push} or write as an OCI layout or a
 * docker-archive for skopeo. Static methods build the rest: OCI indexes and Docker manifest lists
 * ({@link #index}), artifacts with a subject ({@link #artifact}), Go-shaped documents ({@link #manifestDocument},
 * {@link #descriptorDocument}), tar and gzip bytes; {@link Layout} streams images of any size into an OCI layout
 * directory and reads one back.
 *
 * <p>Everything is deterministic: the same calls give the same bytes and so the same digests (random content
 * comes from a seed).
 */
public final class TestImage {

    /** Media types of the OCI image spec and of Docker schema 2. */
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_EMPTY_JSON = "application/vnd.oci.empty.v1+json";
    /** Digest of the two-byte blob {@code {}}, fixed by the image spec. */
    public static final String EMPTY_JSON_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    /** The annotation that names a manifest in an OCI layout's {@code index.json}. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Which family of media types an image uses. */
    public enum Format {
        OCI(OCI_MANIFEST, OCI_CONFIG, OCI_LAYER_GZIP, OCI_INDEX),
        DOCKER(DOCKER_MANIFEST, DOCKER_CONFIG, DOCKER_LAYER_GZIP, DOCKER_MANIFEST_LIST);

        /** The media types of this family. */
        public final String manifestType;
        public final String configType;
        public final String layerType;
        public final String indexType;

        Format(String manifestType, String configType, String layerType, String indexType) {
            this.manifestType = manifestType;
            this.configType = configType;
            this.layerType = layerType;
            this.indexType = indexType;
        }
    }

    /** The platform of an image in an index. */
    public record Platform(String os, String architecture, String variant) {

        /** A platform without variant. */
        public static Platform of(String os, String architecture) {
            return new Platform(os, architecture, null);
        }

        /** The {@code platform} object of an index entry. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("architecture", architecture);
            m.put("os", os);
            if (variant != null) {
                m.put("variant", variant);
            }
            return m;
        }
    }

    /** A content descriptor. */
    public record Descriptor(String mediaType, String digest, long size) {

        /** The descriptor as a JSON object (mediaType, digest, size). */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mediaType", mediaType);
            m.put("digest", digest);
            m.put("size", size);
            return m;
        }
    }

    /** Content with its media type, e.g. a manifest or index document as pushed. */
    public record Blob(String mediaType, byte[] content) {

        /** Content without a media type (a plain blob). */
        public static Blob of(byte[] content) {
            return new Blob("application/octet-stream", content);
        }

        /** The sha256 digest of the content. */
        public String digest() {
            return sha256(content);
        }

        /** The content's length. */
        public long size() {
            return content.length;
        }

        /** The content's length as a string (for {@code Content-Length} headers). */
        public String length() {
            return Integer.toString(content.length);
        }

        /** The content as UTF-8 text. */
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }

        /** A descriptor of this content. */
        public Descriptor descriptor() {
            return new Descriptor(mediaType, digest(), content.length);
        }
    }

    private final String manifestType;
    private final byte[] config;
    private final List<byte[]> layers;
    private final List<String> diffIds;
    private final byte[] manifest;

    private TestImage(String manifestType, byte[] config, List<byte[]> layers, List<String> diffIds, byte[] manifest) {
        this.manifestType = manifestType;
        this.config = config;
        this.layers = layers;
        this.diffIds = diffIds;
        this.manifest = manifest;
    }

    /**
     * The smallest image: an OCI manifest over the config {@code {"architecture":"amd64","os":"linux","seed":..}}
     * and one {@code application/vnd.oci.image.layer.v1.tar} layer whose bytes are the text {@code layer of <seed>}
     * (not a real tar; registries do not look inside). Different seeds give different digests.
     */
    public static TestImage simple(String seed) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer of " + seed).getBytes(StandardCharsets.UTF_8);
        String manifest = manifestJson(OCI_MANIFEST, OCI_CONFIG, config, OCI_LAYER_TAR, layer, "");
        return new TestImage(OCI_MANIFEST, config, List.of(layer), List.of(sha256(layer)), utf8(manifest));
    }

    /**
     * A real single-platform image: one gzip'd tar layer holding {@code hello.txt} with {@code marker}, an image
     * config whose {@code rootfs.diff_ids} match, and a manifest in {@code format}'s media types. Different markers
     * give different digests.
     */
    public static TestImage create(Format format, String marker) {
        byte[] tar = tar(Entry.text("hello.txt", marker + "\n"));
        byte[] layer = gzip(tar);
        String diffId = sha256(tar);
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/hello\"],\"Labels\":{\"marker\":\""
            + marker + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId
            + "\"]},\"history\":[{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"wharf test\"}]}");
        return new TestImage(format.manifestType, config, List.of(layer), List.of(diffId),
            utf8(manifestJson(format.manifestType, format.configType, config, format.layerType, layer, "")));
    }

    /**
     * An image of {@code platform} with one gzip'd tar layer per entry list, in memory (for large layers use
     * {@link Layout#writeImage}, which streams).
     */
    public static TestImage of(Format format, Platform platform, List<List<Entry>> layerEntries) {
        List<byte[]> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (List<Entry> entries : layerEntries) {
            byte[] tar = tar(entries.toArray(Entry[]::new));
            layers.add(gzip(tar));
            diffIds.add(sha256(tar));
        }
        byte[] config = JSON.writeValueAsBytes(Layout.config(platform, diffIds));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", format.manifestType);
        manifest.put("config", new Descriptor(format.configType, sha256(config), config.length).toJson());
        manifest.put("layers", layers.stream().map(l -> new Descriptor(format.layerType, sha256(l), l.length).toJson()).toList());
        return new TestImage(format.manifestType, config, layers, diffIds, JSON.writeValueAsBytes(manifest));
    }

    /** An image of {@code platform} with one layer per size, each a file of deterministic random bytes from {@code seed}. */
    public static TestImage random(Format format, Platform platform, long seed, long... layerSizes) {
        List<List<Entry>> layers = new ArrayList<>();
        for (int i = 0; i < layerSizes.length; i++) {
            layers.add(List.of(Entry.random("layer" + i + ".bin", layerSizes[i], seed + i)));
        }
        return of(format, platform, layers);
    }

    private static String manifestJson(String mediaType, String configType, byte[] config, String layerType, byte[] layer,
                                       String extra) {
        return imageManifest(mediaType, configType, sha256(config), config.length, layerType, sha256(layer), layer.length, extra);
    }

    /**
     * The compact JSON of an image manifest with one config and one layer; {@code extra} (e.g. {@code ,"subject":{..}})
     * is inserted after the layers.
     */
    public static String imageManifest(String mediaType, String configType, Object configDigest, long configSize,
                                       String layerType, Object layerDigest, long layerSize, String extra) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\","
            + "\"config\":{\"mediaType\":\"" + configType + "\",\"digest\":\"" + configDigest + "\",\"size\":" + configSize + "},"
            + "\"layers\":[{\"mediaType\":\"" + layerType + "\",\"digest\":\"" + layerDigest + "\",\"size\":" + layerSize + "}]"
            + extra + "}";
    }

    /** The manifest's media type. */
    public String manifestType() {
        return manifestType;
    }

    /** The manifest bytes as pushed. */
    public byte[] manifest() {
        return manifest.clone();
    }

    /** The manifest as text. */
    public String manifestText() {
        return new String(manifest, StandardCharsets.UTF_8);
    }

    /** The manifest's digest. */
    public String manifestDigest() {
        return sha256(manifest);
    }

    /** The manifest's size in bytes. */
    public long manifestSize() {
        return manifest.length;
    }

    /** A descriptor of the manifest. */
    public Descriptor descriptor() {
        return new Descriptor(manifestType, manifestDigest(), manifest.length);
    }

    /** The bytes the image takes in a registry's store: its config, its layers and its manifest. */
    public long storedSize() {
        return config.length + layers.stream().mapToLong(layer -> layer.length).sum() + manifest.length;
    }

    /** The config bytes. */
    public byte[] config() {
        return config.clone();
    }

    /** The config's digest. */
    public String configDigest() {
        return sha256(config);
    }

    /** The first (often only) layer's bytes. */
    public byte[] layer() {
        return layers.get(0).clone();
    }

    /** The first layer's digest. */
    public String layerDigest() {
        return sha256(layers.get(0));
    }

    /** Every layer's bytes, in manifest order. */
    public List<byte[]> layers() {
        return layers.stream().map(byte[]::clone).toList();
    }

    /** The digest of the first layer uncompressed, as listed in the config's {@code rootfs.diff_ids}. */
    public String diffId() {
        return diffIds.get(0);
    }

    /** The blobs to push before the manifest: the config, then the layers. */
    public List<byte[]> blobs() {
        List<byte[]> blobs = new ArrayList<>();
        blobs.add(config.clone());
        layers.forEach(l -> blobs.add(l.clone()));
        return blobs;
    }

    /** Writes an OCI image layout into {@code dir} with this image tagged {@code tag}; returns {@code dir}. */
    public Path writeOciLayout(Path dir, String tag) {
        Layout layout = Layout.create(dir);
        blobs().forEach(blob -> layout.writeBlob("application/octet-stream", blob));
        layout.writeBlob(manifestType, manifest);
        layout.tag(tag, descriptor());
        return dir;
    }

    /**
     * Writes a {@code docker-archive} (what {@code docker save} writes, skopeo's {@code docker-archive:} transport)
     * to {@code file}: {@code manifest.json} naming {@code repoTag}, the config and the layers; returns {@code file}.
     */
    public Path writeDockerArchive(Path file, String repoTag) {
        String configName = sha256(config).substring("sha256:".length()) + ".json";
        List<String> layerNames = new ArrayList<>();
        for (byte[] layer : layers) {
            layerNames.add(sha256(layer).substring("sha256:".length()) + ".tar.gz");
        }
        List<Map<String, Object>> manifestJson = List.of(Map.of(
            "Config", configName, "RepoTags", List.of(repoTag), "Layers", layerNames));
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.file("manifest.json", JSON.writeValueAsBytes(manifestJson)));
        entries.add(Entry.file(configName, config));
        for (int i = 0; i < layers.size(); i++) {
            entries.add(Entry.file(layerNames.get(i), layers.get(i)));
        }
        try {
            Files.write(file, tar(entries.toArray(Entry[]::new)));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- documents -----------------------------------------------------------------------------

    /**
     * An OCI image index ({@link Format#OCI}) or Docker manifest list ({@link Format#DOCKER}) over {@code images},
     * each entry with its platform.
     */
    public static Blob index(Format format, Map<Platform, TestImage> images) {
        Map<Platform, Descriptor> manifests = new LinkedHashMap<>();
        images.forEach((platform, image) -> manifests.put(platform, image.descriptor()));
        return new Blob(format.indexType, indexDocument(format.indexType, manifests));
    }

    /** The JSON of an index of {@code indexType} listing {@code manifests}, each with its platform. */
    static byte[] indexDocument(String indexType, Map<Platform, Descriptor> manifests) {
        List<Map<String, Object>> entries = new ArrayList<>();
        manifests.forEach((platform, descriptor) -> {
            Map<String, Object> d = descriptor.toJson();
            d.put("platform", platform.toJson());
            entries.add(d);
        });
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", indexType);
        index.put("manifests", entries);
        return JSON.writeValueAsBytes(index);
    }

    /**
     * An OCI 1.1 artifact: an image manifest with {@code artifactType}, the empty config ({@code {}}), the
     * {@code layers} as its blobs and {@code subject} (null: none) as the manifest it refers to.
     */
    public static Blob artifact(String artifactType, Descriptor subject, Map<String, String> annotations, Descriptor... layers) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        manifest.put("artifactType", artifactType);
        manifest.put("config", new Descriptor(OCI_EMPTY_JSON, EMPTY_JSON_DIGEST, 2).toJson());
        manifest.put("layers", java.util.Arrays.stream(layers).map(Descriptor::toJson).toList());
        if (subject != null) {
            manifest.put("subject", subject.toJson());
        }
        if (annotations != null && !annotations.isEmpty()) {
            manifest.put("annotations", annotations);
        }
        return new Blob(OCI_MANIFEST, JSON.writeValueAsBytes(manifest));
    }

    /**
     * An image manifest as an ordered map in the field order of the image-spec struct, null and empty fields
     * left out as Go's {@code omitempty} does; serialise it with {@link GoJson#marshalIndent}.
     */
    public static Map<String, Object> manifestDocument(String mediaType, String artifactType, Map<String, Object> config,
                                                       List<Map<String, Object>> layers, Map<String, Object> subject,
                                                       Map<String, String> annotations) {
        return GoJson.object(
            "schemaVersion", 2,
            "mediaType", GoJson.omitEmpty(mediaType),
            "artifactType", GoJson.omitEmpty(artifactType),
            "config", config,
            "layers", layers,
            "subject", GoJson.omitEmpty(subject),
            "annotations", GoJson.omitEmpty(annotations));
    }

    /**
     * A descriptor as an ordered map in the field order of the image-spec struct, always with the trailing field
     * the spec does not define ({@code newUnspecifiedField}, null when {@code unspecified} is), so a registry has to
     * keep manifest bytes as pushed.
     */
    public static Map<String, Object> descriptorDocument(String mediaType, String digest, long size, Map<String, String> annotations,
                                                         byte[] data, String artifactType, byte[] unspecified) {
        return GoJson.object(
            "mediaType", mediaType,
            "digest", digest,
            "size", size,
            "annotations", GoJson.omitEmpty(annotations),
            "data", GoJson.omitEmpty(data),
            "artifactType", GoJson.omitEmpty(artifactType),
            "newUnspecifiedField", unspecified);
    }

    // ---- bytes ---------------------------------------------------------------------------------

    /** The {@code sha256:<hex>} digest of {@code content}. */
    public static String sha256(byte[] content) {
        return "sha256:" + HexFormat.of().formatHex(newSha256().digest(content));
    }

    /** The {@code sha256:<hex>} digest of a file's content, read in pieces. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code sha256:<hex>} digest of a stream's content, read to its end (and closed). */
    public static String sha256(InputStream content) {
        MessageDigest md = newSha256();
        try (content) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = content.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    /** A new SHA-256 {@link MessageDigest}. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hex part of a {@code sha256:} digest. */
    public static String hex(String digest) {
        if (!digest.startsWith("sha256:")) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return digest.substring("sha256:".length());
    }

    /** {@code count} deterministic pseudo-random bytes from {@code seed}. */
    public static byte[] randomBytes(long seed, int count) {
        byte[] bytes = new byte[count];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A ustar archive of {@code entries}. */
    public static byte[] tar(Entry... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Tar tar = new Tar(out)) {
            for (Entry entry : entries) {
                entry.writeTo(tar);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A gzip-compressed tar holding one regular file {@code fileName} with {@code text}. */
    public static byte[] tarGz(String fileName, String text) {
        return gzip(tar(Entry.text(fileName, text)));
    }

    /** {@code data} gzip-compressed. */
    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code gzipped} decompressed. */
    public static byte[] gunzip(byte[] gzipped) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** One entry of a layer's tar stream. */
    public interface Entry {
        /** Writes the entry. */
        void writeTo(Tar tar) throws IOException;

        /** A directory. */
        static Entry directory(String name) {
            return tar -> tar.directory(name);
        }

        /** A regular file holding {@code content}. */
        static Entry file(String name, byte[] content) {
            byte[] bytes = content.clone();
            return tar -> tar.file(name, bytes);
        }

        /** A regular file holding {@code content} as UTF-8. */
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


    /**
     * A minimal POSIX ustar writer, enough for container image layers and archives: directories and regular files
     * with short names, fixed owner and timestamp so that the same input always gives the same bytes.
     */
    public static final class Tar implements AutoCloseable {

        private static final int BLOCK = 512;
        private static final long MTIME = 1_700_000_000L;

        private final OutputStream out;
        private long entryRemaining;
        private long entryPadding;

        Tar(OutputStream out) {
            this.out = out;
        }

        /** Adds a directory entry. */
        public void directory(String name) throws IOException {
            finishEntry();
            header(name.endsWith("/") ? name : name + "/", 0, '5', 0755);
        }

        /** Starts a regular file of {@code size} bytes; write exactly that many with {@link #write}. */
        public void file(String name, long size) throws IOException {
            finishEntry();
            header(name, size, '0', 0644);
            entryRemaining = size;
            entryPadding = (BLOCK - size % BLOCK) % BLOCK;
        }

        /** Adds a regular file holding {@code content}. */
        public void file(String name, byte[] content) throws IOException {
            file(name, content.length);
            write(content, 0, content.length);
        }

        /** Writes content of the file started with {@link #file(String, long)}. */
        public void write(byte[] buffer, int offset, int length) throws IOException {
            if (length > entryRemaining) {
                throw new IllegalStateException("entry overflow: " + length + " > " + entryRemaining);
            }
            out.write(buffer, offset, length);
            entryRemaining -= length;
        }

        @Override
        public void close() throws IOException {
            finishEntry();
            out.write(new byte[2 * BLOCK]);
            out.flush();
        }

        private void finishEntry() throws IOException {
            if (entryRemaining != 0) {
                throw new IllegalStateException(entryRemaining + " bytes of the entry were not written");
            }
            out.write(new byte[(int) entryPadding]);
            entryPadding = 0;
        }

        private void header(String name, long size, char type, int mode) throws IOException {
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            if (nameBytes.length > 100) {
                throw new IllegalArgumentException("name too long for this writer: " + name);
            }
            byte[] h = new byte[BLOCK];
            System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
            octal(h, 100, 8, mode);
            octal(h, 108, 8, 0);
            octal(h, 116, 8, 0);
            octal(h, 124, 12, size);
            octal(h, 136, 12, MTIME);
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            h[156] = (byte) type;
            ascii(h, 257, "ustar\0");
            ascii(h, 263, "00");
            ascii(h, 265, "root");
            ascii(h, 297, "root");
            octal(h, 329, 8, 0);
            octal(h, 337, 8, 0);
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            String checksum = String.format("%06o", sum);
            ascii(h, 148, checksum);
            h[154] = 0;
            h[155] = ' ';
            out.write(h);
        }

        /** Zero-padded octal in {@code length - 1} digits followed by NUL. */
        private static void octal(byte[] h, int offset, int length, long value) {
            String s = Long.toOctalString(value);
            if (s.length() > length - 1) {
                throw new IllegalArgumentException("value too large for tar field: " + value);
            }
            ascii(h, offset, "0".repeat(length - 1 - s.length()) + s);
            h[offset + length - 1] = 0;
        }

        private static void ascii(byte[] h, int offset, String s) {
            byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(bytes, 0, h, offset, bytes.length);
        }
    }

    /**
     * An OCI image layout directory (<a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">
     * image-layout</a>): {@code oci-layout}, {@code index.json} and {@code blobs/sha256/<hex>}. Writing streams layers
     * straight to disk while both their compressed digest and their diff_id are computed, so a layer of any size never
     * sits in memory; reading checks every blob against its name and descriptor.
     */
    public static final class Layout {

        /** Starts a new layout in {@code root} (created when missing). */
        public static Layout create(Path root) {
            return new Layout(root);
        }

        /** Opens a layout another tool (skopeo) wrote, for reading. */
        public static Layout open(Path root) {
            return new Layout(root, false);
        }

        private Layout(Path root, boolean unused) {
            this.root = root;
            this.blobs = root.resolve("blobs").resolve("sha256");
        }

        /** A layer written to the layout: its descriptor, diff_id and uncompressed size. */
        public record Layer(Descriptor descriptor, String diffId, long uncompressedSize) {
        }

        /** An image written to the layout: manifest, config and layer descriptors, and the manifest bytes. */
        public record Image(Descriptor manifest, Descriptor config, List<Layer> layers, byte[] manifestBytes) {
            /** Every blob digest the image consists of: manifest, config and layers. */
            public Set<String> digests() {
                Set<String> all = new LinkedHashSet<>();
                all.add(manifest.digest());
                all.add(config.digest());
                layers.forEach(l -> all.add(l.descriptor().digest()));
                return all;
            }
        }

        /** An index written to the layout, with the images it lists. */
        public record Index(Descriptor descriptor, List<Image> images, byte[] indexBytes) {
            /** Every blob digest: the index, then each image's. */
            public Set<String> digests() {
                Set<String> all = new LinkedHashSet<>();
                all.add(descriptor.digest());
                images.forEach(i -> all.addAll(i.digests()));
                return all;
            }
        }

        private final Path root;
        private final Path blobs;
        private final List<Map<String, Object>> refs = new ArrayList<>();
        private int gzipLevel = Deflater.BEST_SPEED;

        private Layout(Path root) {
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
        public Layout gzipLevel(int level) {
            this.gzipLevel = level;
            return this;
        }

        /** The layout directory. */
        public Path root() {
            return root;
        }

        /** Writes {@code content} as a blob (once) and returns its descriptor. */
        public Descriptor writeBlob(String mediaType, byte[] content) {
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

        /** Writes {@code value} serialised as JSON as a blob and returns its descriptor. */
        public Descriptor writeJson(String mediaType, Object value) {
            return writeBlob(mediaType, JSON.writeValueAsBytes(value));
        }

        /** Streams a gzip'd tar of {@code entries} into the layout. */
        public Layer writeLayer(String mediaType, List<Entry> entries) {
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
                    try (Tar tar = new Tar(uncompressed)) {
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

        /** The image config of {@code platform} over layers with {@code diffIds}. */
        static Map<String, Object> config(Platform platform, List<String> diffIds) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("created", "2024-01-01T00:00:00Z");
            config.put("architecture", platform.architecture());
            if (platform.variant() != null) {
                config.put("variant", platform.variant());
            }
            config.put("os", platform.os());
            config.put("config", Map.of("Env", List.of("PATH=/usr/local/bin:/usr/bin:/bin"), "Cmd", List.of("/bin/sh")));
            config.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
            config.put("history", diffIds.stream()
                .map(d -> Map.of("created", "2024-01-01T00:00:00Z", "created_by", "wharf test layer " + d))
                .toList());
            return config;
        }

        /** Writes the layers, a config whose rootfs.diff_ids match them, and the manifest. */
        public Image writeImage(Format flavor, Platform platform, List<List<Entry>> layerEntries) {
            List<Layer> layers = new ArrayList<>();
            for (List<Entry> entries : layerEntries) {
                layers.add(writeLayer(flavor.layerType, entries));
            }
            Map<String, Object> config = config(platform, layers.stream().map(Layer::diffId).toList());
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
        public Index writeIndex(Map<Platform, Image> images) {
            Map<Platform, Descriptor> manifests = new LinkedHashMap<>();
            images.forEach((platform, image) -> manifests.put(platform, image.manifest()));
            byte[] bytes = indexDocument(OCI_INDEX, manifests);
            return new Index(writeBlob(OCI_INDEX, bytes), List.copyOf(images.values()), bytes);
        }

        /** Names {@code descriptor} {@code tag} in the layout's index.json (what {@code oci:<dir>:<tag>} resolves). */
        public Layout tag(String tag, Descriptor descriptor) {
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
        public Path exportDirTransport(Image image, Path target) {
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

        /** The descriptor index.json names {@code tag}. */
        public Descriptor resolve(String tag) {
            JsonNode index = json(read(root.resolve("index.json")));
            for (JsonNode d : index.path("manifests")) {
                if (tag.equals(d.path("annotations").path(REF_NAME).asString())) {
                    return descriptor(d);
                }
            }
            throw new AssertionError("no manifest tagged " + tag + " in " + root.resolve("index.json") + ":\n"
                + index);
        }

        /** The content of blob {@code digest}. */
        public byte[] blob(String digest) {
            return read(blobPath(digest));
        }

        /** Where blob {@code digest} is (or would be) in the layout. */
        public Path blobPath(String digest) {
            return root.resolve("blobs").resolve("sha256").resolve(hex(digest));
        }

        /**
         * Every digest reachable from {@code top}: the index and its manifests, each manifest's config and layers. Fails
         * when a referenced blob is missing or its size differs from its descriptor.
         */
        public Set<String> reachable(Descriptor top) {
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
            if (OCI_INDEX.equals(type)
                || "application/vnd.docker.distribution.manifest.list.v2+json".equals(type)) {
                for (JsonNode m : json(blob(d.digest())).path("manifests")) {
                    walk(descriptor(m), digests);
                }
            } else if (OCI_MANIFEST.equals(type) || DOCKER_MANIFEST.equals(type)) {
                JsonNode manifest = json(blob(d.digest()));
                walk(descriptor(manifest.path("config")), digests);
                for (JsonNode layer : manifest.path("layers")) {
                    walk(descriptor(layer), digests);
                }
            }
        }

        /** Re-hashes every file under blobs/sha256 and fails on the first whose content does not match its name. */
        public Set<String> verifyAllBlobs() {
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
        public static Set<String> verifyDirTransport(Path dir) {
            try {
                byte[] manifestBytes = Files.readAllBytes(dir.resolve("manifest.json"));
                JsonNode manifest = json(manifestBytes);
                Set<String> digests = new LinkedHashSet<>();
                digests.add(sha256(manifestBytes));
                List<JsonNode> referenced = new ArrayList<>();
                referenced.add(manifest.path("config"));
                manifest.path("layers").forEach(referenced::add);
                for (JsonNode d : referenced) {
                    Descriptor descriptor = descriptor(d);
                    Path file = dir.resolve(hex(descriptor.digest()));
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

        /** A descriptor read from JSON. */
        public static Descriptor descriptor(JsonNode d) {
            return new Descriptor(d.path("mediaType").asString(), d.path("digest").asString(), d.path("size").asLong());
        }

        /** {@code bytes} parsed as JSON. */
        public static JsonNode json(byte[] bytes) {
            return JSON.readTree(bytes);
        }

        private static byte[] read(Path file) {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
