package io.wharf.web.conformance;

import io.wharf.testkit.GoJson;
import io.wharf.testkit.TestImage;

import static io.wharf.testkit.GoJson.object;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

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
final class ConformanceFixture {

    static final String MEDIA_MANIFEST = TestImage.OCI_MANIFEST;
    static final String MEDIA_INDEX = TestImage.OCI_INDEX;
    static final String MEDIA_CONFIG = TestImage.OCI_CONFIG;
    static final String MEDIA_LAYER = TestImage.OCI_LAYER_GZIP;
    static final String MEDIA_EMPTY_JSON = TestImage.OCI_EMPTY_JSON;
    /** Digest of the two-byte blob {@code {}}, fixed by the image spec. */
    static final String EMPTY_JSON_DIGEST = TestImage.EMPTY_JSON_DIGEST;

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

    /** Content plus its digest, as pushed (the digest may be overridden, to pull existing content). */
    record Blob(byte[] content, String digest) {
        static Blob of(byte[] content) {
            return new Blob(content, TestImage.sha256(content));
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
    ConformanceFixture(long seed, String blobDigestOverride, String manifestDigestOverride) {
        this.random = new Random(seed);
        SecureRandom authors = new SecureRandom();

        for (int i = 0; i < WORKFLOW_DOCUMENTS; i++) {
            // a random author keeps every config (and therefore every manifest) unique per run
            byte[] config = GoJson.marshalIndent(object(
                "author", randomString(authors, 16),
                "architecture", "amd64",
                "os", "linux",
                "rootfs", object("type", "layers", "diff_ids", List.of())));
            configs.add(new Blob(config, blobDigestOverride != null ? blobDigestOverride : TestImage.sha256(config)));
        }

        layer = Blob.of(TestImage.tarGz("layer.txt", "Wharf conformance layer. Nothing to see here.\n"));
        Map<String, Object> layerDescriptor = descriptor(MEDIA_LAYER, layer, null, null, null,
            null);

        for (int i = 0; i < WORKFLOW_DOCUMENTS; i++) {
            Blob config = configs.get(i);
            byte[] manifest = GoJson.marshalIndent(TestImage.manifestDocument(MEDIA_MANIFEST, null,
                descriptor(MEDIA_CONFIG, config, null, config.content(), null, "hello world".getBytes(StandardCharsets.UTF_8)),
                List.of(layerDescriptor), null, null));
            manifests.add(new Blob(manifest, manifestDigestOverride != null ? manifestDigestOverride : TestImage.sha256(manifest)));
        }

        Blob pushConfig = configs.get(PUSH);
        emptyLayerManifest = Blob.of(GoJson.marshalIndent(TestImage.manifestDocument(null, null,
            descriptor(MEDIA_CONFIG, pushConfig, null, pushConfig.content(), null, "hello world".getBytes(StandardCharsets.UTF_8)),
            List.of(), null, null)));

        blobA = Blob.of(randomBytes(42));
        setupChunkedBlob(42);

        dummyDigest = TestImage.sha256("nothing was ever pushed with this digest".getBytes(StandardCharsets.UTF_8));

        emptyJson = Blob.of("{}".getBytes(StandardCharsets.UTF_8));
        refBlobA = Blob.of("first referrer payload".getBytes(StandardCharsets.UTF_8));
        refBlobB = Blob.of("second referrer payload, a little longer".getBytes(StandardCharsets.UTF_8));

        Map<String, Object> emptyJsonDescriptor = descriptor(MEDIA_EMPTY_JSON, emptyJson, null, null, null, null);
        Map<String, Object> subject = descriptor(MEDIA_MANIFEST, manifests.get(SUBJECT), null, null, null, null);
        Map<String, Object> missingSubject = descriptor(MEDIA_MANIFEST, manifests.get(MANAGEMENT), null, null, null, null);

        refsManifestAConfig = referrer(TestImage.manifestDocument(MEDIA_MANIFEST, null,
            descriptor(artifactTypeA, refBlobA, null, null, null, null),
            List.of(emptyJsonDescriptor), subject, annotation("config-typed artifact A")));
        refsManifestBConfig = referrer(TestImage.manifestDocument(MEDIA_MANIFEST, null,
            descriptor(artifactTypeB, refBlobB, null, null, null, null),
            List.of(emptyJsonDescriptor), subject, annotation("config-typed artifact B")));
        refsManifestALayer = referrer(TestImage.manifestDocument(MEDIA_MANIFEST, artifactTypeA, emptyJsonDescriptor,
            List.of(descriptor(artifactTypeA, refBlobA, null, null, null, null)), subject,
            annotation("artifactType-typed artifact A")));
        refsManifestBLayer = referrer(TestImage.manifestDocument(MEDIA_MANIFEST, artifactTypeB, emptyJsonDescriptor,
            List.of(descriptor(artifactTypeB, refBlobB, null, null, null, null)), subject,
            annotation("artifactType-typed artifact B")));
        refsManifestCLayer = Blob.of(GoJson.marshalIndent(TestImage.manifestDocument(MEDIA_MANIFEST, artifactTypeB, emptyJsonDescriptor,
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

    /** A descriptor of {@code target} with the trailing field the image spec does not define. */
    private static Map<String, Object> descriptor(String mediaType, Blob target, Map<String, String> annotations,
                                                  byte[] data, String artifactType, byte[] unspecified) {
        return TestImage.descriptorDocument(mediaType, target.digest(), target.content().length, annotations, data,
            artifactType, unspecified);
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
}
