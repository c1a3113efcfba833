package io.wharf.web.conformance;

import static io.wharf.web.conformance.GoJson.object;
import static io.wharf.web.conformance.GoJson.omitEmpty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * The documents and blobs the conformance workflows push, built with the same shapes as the official
 * suite's set-up: one unique config and image manifest per workflow (index 0 pull, 1 push, 2 content
 * discovery, 3 content management, 4 the referrers subject), a shared gzip layer, a manifest without
 * layers, two 42-byte random blobs (one streamed, one sent in two chunks), and the referrer artifacts
 * (config-typed and artifactType-typed manifests, an index, and one whose subject never exists).
 *
 * <p>Descriptors carry an unspecified extra field and configs are embedded as {@code data}, so the
 * registry has to keep manifest bytes exactly as pushed.
 */
final class OciTestData {

    static final String MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String MEDIA_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String MEDIA_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String MEDIA_EMPTY_JSON = "application/vnd.oci.empty.v1+json";
    /** Digest of the two-byte blob {@code {}}, fixed by the image spec. */
    static final String EMPTY_JSON_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    static final String EMPTY_LAYER_TAG = "emptylayer";
    static final String TEST_TAG = "tagtest0";
    /** A reference that is not even a valid tag; registries must still answer 404 for it. */
    static final String NONEXISTENT_MANIFEST = ".INVALID_MANIFEST_NAME";
    static final String ARTIFACT_TYPE_FILTER = "artifactType";

    static final int PULL = 0;
    static final int PUSH = 1;
    static final int DISCOVERY = 2;
    static final int MANAGEMENT = 3;
    static final int SUBJECT = 4;
    private static final int WORKFLOW_DOCUMENTS = 5;

    /** Content plus its digest, as pushed. */
    record Blob(byte[] content, String digest) {
        static Blob of(byte[] content) {
            return new Blob(content, sha256(content));
        }

        String length() {
            return Integer.toString(content.length);
        }
    }

    final List<Blob> configs = new ArrayList<>();
    final List<Blob> manifests = new ArrayList<>();
    final Blob layer;
    final Blob emptyLayerManifest;
    final Blob blobA;
    /** The chunked blob; rebuilt larger when the registry announces a bigger minimum chunk. */
    Blob blobB;
    byte[] blobBChunk1;
    byte[] blobBChunk2;
    String blobBChunk1Range;
    String blobBChunk2Range;

    final String dummyDigest;
    final Blob emptyJson;
    final Blob refBlobA;
    final Blob refBlobB;
    final String artifactTypeA = "application/vnd.wharf.conformance.alpha";
    final String artifactTypeB = "application/vnd.wharf.conformance.beta";
    final String artifactTypeIndex = "application/vnd.wharf.conformance.bundle";
    final String annotationKey = "io.wharf.conformance.label";
    /** Expected annotation value per referrer digest. */
    final Map<String, String> annotationValues = new TreeMap<>();
    final Blob refsManifestAConfig;
    final Blob refsManifestBConfig;
    final Blob refsManifestALayer;
    final Blob refsManifestBLayer;
    final Blob refsManifestCLayer;
    final Blob refsIndex;

    private final Random random;

    /**
     * @param blobDigestOverride     when non-null, used as every config digest (pull against existing content)
     * @param manifestDigestOverride when non-null, used as every manifest digest
     */
    OciTestData(long seed, String blobDigestOverride, String manifestDigestOverride) {
        this.random = new Random(seed);
        SecureRandom authors = new SecureRandom();

        for (int i = 0; i < WORKFLOW_DOCUMENTS; i++) {
            // a random author keeps every config (and therefore every manifest) unique per run
            byte[] config = GoJson.marshalIndent(object(
                "author", randomString(authors, 16),
                "architecture", "amd64",
                "os", "linux",
                "rootfs", object("type", "layers", "diff_ids", List.of())));
            configs.add(new Blob(config, blobDigestOverride != null ? blobDigestOverride : sha256(config)));
        }

        layer = Blob.of(tarGz("layer.txt", "Wharf conformance layer. Nothing to see here.\n"));
        Map<String, Object> layerDescriptor = descriptor(MEDIA_LAYER, layer, null, null, null,
            null);

        for (int i = 0; i < WORKFLOW_DOCUMENTS; i++) {
            Blob config = configs.get(i);
            byte[] manifest = GoJson.marshalIndent(manifest(MEDIA_MANIFEST, null,
                descriptor(MEDIA_CONFIG, config, null, config.content(), null, "hello world".getBytes(StandardCharsets.UTF_8)),
                List.of(layerDescriptor), null, null));
            manifests.add(new Blob(manifest, manifestDigestOverride != null ? manifestDigestOverride : sha256(manifest)));
        }

        Blob pushConfig = configs.get(PUSH);
        emptyLayerManifest = Blob.of(GoJson.marshalIndent(manifest(null, null,
            descriptor(MEDIA_CONFIG, pushConfig, null, pushConfig.content(), null, "hello world".getBytes(StandardCharsets.UTF_8)),
            List.of(), null, null)));

        blobA = Blob.of(randomBytes(42));
        setupChunkedBlob(42);

        dummyDigest = sha256("nothing was ever pushed with this digest".getBytes(StandardCharsets.UTF_8));

        emptyJson = Blob.of("{}".getBytes(StandardCharsets.UTF_8));
        refBlobA = Blob.of("first referrer payload".getBytes(StandardCharsets.UTF_8));
        refBlobB = Blob.of("second referrer payload, a little longer".getBytes(StandardCharsets.UTF_8));

        Map<String, Object> emptyJsonDescriptor = descriptor(MEDIA_EMPTY_JSON, emptyJson, null, null, null, null);
        Map<String, Object> subject = descriptor(MEDIA_MANIFEST, manifests.get(SUBJECT), null, null, null, null);
        Map<String, Object> missingSubject = descriptor(MEDIA_MANIFEST, manifests.get(MANAGEMENT), null, null, null, null);

        refsManifestAConfig = referrer(manifest(MEDIA_MANIFEST, null,
            descriptor(artifactTypeA, refBlobA, null, null, null, null),
            List.of(emptyJsonDescriptor), subject, annotation("config-typed artifact A")));
        refsManifestBConfig = referrer(manifest(MEDIA_MANIFEST, null,
            descriptor(artifactTypeB, refBlobB, null, null, null, null),
            List.of(emptyJsonDescriptor), subject, annotation("config-typed artifact B")));
        refsManifestALayer = referrer(manifest(MEDIA_MANIFEST, artifactTypeA, emptyJsonDescriptor,
            List.of(descriptor(artifactTypeA, refBlobA, null, null, null, null)), subject,
            annotation("artifactType-typed artifact A")));
        refsManifestBLayer = referrer(manifest(MEDIA_MANIFEST, artifactTypeB, emptyJsonDescriptor,
            List.of(descriptor(artifactTypeB, refBlobB, null, null, null, null)), subject,
            annotation("artifactType-typed artifact B")));
        refsManifestCLayer = Blob.of(GoJson.marshalIndent(manifest(MEDIA_MANIFEST, artifactTypeB, emptyJsonDescriptor,
            List.of(descriptor(artifactTypeB, refBlobB, null, null, null, null)), missingSubject, null)));
        refsIndex = referrer(object(
            "schemaVersion", 2,
            "mediaType", MEDIA_INDEX,
            "artifactType", artifactTypeIndex,
            "manifests", List.of(
                descriptor(MEDIA_MANIFEST, refsManifestAConfig, null, null, null, null),
                descriptor(MEDIA_MANIFEST, refsManifestALayer, null, null, null, null)),
            "subject", subject,
            "annotations", annotation("index artifact")));
    }

    /** Splits a new random blob of {@code size} bytes into a first chunk of size/2+1 bytes and the rest. */
    void setupChunkedBlob(int size) {
        blobB = Blob.of(randomBytes(size));
        blobBChunk1 = Arrays.copyOfRange(blobB.content(), 0, size / 2 + 1);
        blobBChunk2 = Arrays.copyOfRange(blobB.content(), size / 2 + 1, size);
        blobBChunk1Range = "0-" + (blobBChunk1.length - 1);
        blobBChunk2Range = blobBChunk1.length + "-" + (size - 1);
    }

    private Blob referrer(Map<String, Object> document) {
        Blob blob = Blob.of(GoJson.marshalIndent(document));
        @SuppressWarnings("unchecked")
        Map<String, String> annotations = (Map<String, String>) document.get("annotations");
        annotationValues.put(blob.digest(), annotations.get(annotationKey));
        return blob;
    }

    private Map<String, String> annotation(String value) {
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(annotationKey, value);
        return annotations;
    }

    /** An image manifest in the field order of the image-spec struct. */
    private static Map<String, Object> manifest(String mediaType, String artifactType, Map<String, Object> config,
                                                List<Map<String, Object>> layers, Map<String, Object> subject,
                                                Map<String, String> annotations) {
        return object(
            "schemaVersion", 2,
            "mediaType", omitEmpty(mediaType),
            "artifactType", omitEmpty(artifactType),
            "config", config,
            "layers", layers,
            "subject", omitEmpty(subject),
            "annotations", omitEmpty(annotations));
    }

    /** A descriptor, always with the trailing field the image spec does not define (null when not given). */
    private static Map<String, Object> descriptor(String mediaType, Blob target, Map<String, String> annotations,
                                                  byte[] data, String artifactType, byte[] unspecified) {
        return object(
            "mediaType", mediaType,
            "digest", target.digest(),
            "size", target.content().length,
            "annotations", omitEmpty(annotations),
            "data", omitEmpty(data),
            "artifactType", omitEmpty(artifactType),
            "newUnspecifiedField", unspecified);
    }

    private byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String randomString(SecureRandom random, int length) {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-";
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** A gzip-compressed POSIX tar archive holding one regular file. */
    static byte[] tarGz(String fileName, String text) {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[512];
        putAscii(header, 0, fileName);
        putAscii(header, 100, "0000644\0");
        putAscii(header, 108, "0000000\0");
        putAscii(header, 116, "0000000\0");
        putAscii(header, 124, String.format("%011o\0", content.length));
        putAscii(header, 136, String.format("%011o\0", 0L));
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        putAscii(header, 257, "ustar\0");
        putAscii(header, 263, "00");
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        putAscii(header, 148, String.format("%06o\0 ", sum));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(header);
            gzip.write(content);
            gzip.write(new byte[(512 - content.length % 512) % 512]);
            gzip.write(new byte[1024]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void putAscii(byte[] target, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
