package io.wharf.web.clients;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A minimal, deterministic single-platform image: one gzip'd tar layer holding one small file, an image config
 * and a manifest, in OCI or Docker schema 2 media types. It can be written as an OCI image layout (for skopeo's
 * {@code oci:} transport) or pushed over HTTP by {@link WharfClient}.
 */
final class TestImage {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    enum Format {
        OCI(OCI_MANIFEST, "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip"),
        DOCKER(DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json",
            "application/vnd.docker.image.rootfs.diff.tar.gzip");

        final String manifestType;
        final String configType;
        final String layerType;

        Format(String manifestType, String configType, String layerType) {
            this.manifestType = manifestType;
            this.configType = configType;
            this.layerType = layerType;
        }
    }

    private final Format format;
    private final byte[] layer;
    private final String diffId;
    private final byte[] config;
    private final byte[] manifest;

    private TestImage(Format format, byte[] layer, String diffId, byte[] config, byte[] manifest) {
        this.format = format;
        this.layer = layer;
        this.diffId = diffId;
        this.config = config;
        this.manifest = manifest;
    }

    /** An image whose single file's content is {@code marker}; different markers give different digests. */
    static TestImage create(Format format, String marker) {
        byte[] tar = tar("hello.txt", (marker + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] layer = gzip(tar);
        String diffId = sha256(tar);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/hello\"],\"Labels\":{\"marker\":\""
            + marker + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId
            + "\"]},\"history\":[{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"wharf client test\"}]}")
            .getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + format.manifestType + "\",\"config\":{\"mediaType\":\""
            + format.configType + "\",\"digest\":\"" + sha256(config) + "\",\"size\":" + config.length
            + "},\"layers\":[{\"mediaType\":\"" + format.layerType + "\",\"digest\":\"" + sha256(layer) + "\",\"size\":"
            + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        return new TestImage(format, layer, diffId, config, manifest);
    }

    Format format() {
        return format;
    }

    String manifestType() {
        return format.manifestType;
    }

    byte[] manifest() {
        return manifest.clone();
    }

    String manifestDigest() {
        return sha256(manifest);
    }

    byte[] config() {
        return config.clone();
    }

    String configDigest() {
        return sha256(config);
    }

    byte[] layer() {
        return layer.clone();
    }

    String layerDigest() {
        return sha256(layer);
    }

    /** The digest of the uncompressed layer tar, as listed in the config's {@code rootfs.diff_ids}. */
    String diffId() {
        return diffId;
    }

    /** Writes an OCI image layout into {@code dir} with this image tagged {@code tag}; returns {@code dir}. */
    Path writeOciLayout(Path dir, String tag) {
        try {
            Path blobs = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
            for (byte[] blob : new byte[][] {layer, config, manifest}) {
                Files.write(blobs.resolve(sha256(blob).substring("sha256:".length())), blob);
            }
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX
                + "\",\"manifests\":[{\"mediaType\":\"" + format.manifestType + "\",\"digest\":\"" + manifestDigest()
                + "\",\"size\":" + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag
                + "\"}}]}");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] gunzip(byte[] gzipped) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A ustar archive holding one regular file (owner root, fixed time, mode 0644). */
    private static byte[] tar(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644\0");
        put(header, 108, "0000000\0");
        put(header, 116, "0000000\0");
        put(header, 124, String.format("%011o\0", content.length));
        put(header, 136, String.format("%011o\0", 1_700_000_000L));
        put(header, 148, "        ");
        header[156] = '0';
        put(header, 257, "ustar\0");
        put(header, 263, "00");
        put(header, 265, "root");
        put(header, 297, "root");
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o\0 ", sum));
        int padded = (content.length + 511) / 512 * 512;
        byte[] tar = new byte[512 + padded + 1024];
        System.arraycopy(header, 0, tar, 0, 512);
        System.arraycopy(content, 0, tar, 512, content.length);
        return tar;
    }

    private static void put(byte[] block, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, block, offset, bytes.length);
    }
}
