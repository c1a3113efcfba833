package io.wharf.core.registry.manifest;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses and validates manifest bodies: OCI image manifests and indexes, Docker schema 2 manifests and
 * manifest lists, and OCI artifacts (image manifests with an {@code artifactType}).
 *
 * <p>The media type is the body's {@code mediaType} field; the request's {@code Content-Type} must
 * agree with it when both name a manifest type. A body without {@code mediaType} takes the
 * {@code Content-Type}, or failing that is recognised by shape. Everything that is not a well-formed
 * manifest of a supported type is {@link ErrorCode#MANIFEST_INVALID}. Thread-safe.
 */
public final class ManifestParser {

    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    private final JsonMapper json = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * Parses {@code body}.
     *
     * @param contentType the request's {@code Content-Type} without parameters, or null when absent
     * @throws PlatformException {@link ErrorCode#MANIFEST_INVALID} for anything malformed or unsupported
     */
    public ParsedManifest parse(byte[] body, @Nullable String contentType) {
        requireUtf8(body);
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw invalid("manifest is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("manifest must be a JSON object");
        }
        requireExactKeys(root, "manifest", TOP_LEVEL_KEYS);
        String mediaType = mediaType(root, contentType);
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion == null || !schemaVersion.isIntegralNumber() || schemaVersion.asInt() != 2) {
            throw invalid("schemaVersion must be 2");
        }
        Map<String, String> annotations = annotations(root.get("annotations"), "annotations");
        Descriptor subject = root.hasNonNull("subject") ? descriptor(root.get("subject"), "subject") : null;
        String artifactType = optionalMediaType(root.get("artifactType"), "artifactType");
        if (MediaTypes.INDEXES.contains(mediaType)) {
            if (root.has("config") || root.has("layers")) {
                throw invalid("an index has no config or layers");
            }
            List<Descriptor> manifests = descriptors(root.get("manifests"), "manifests", true);
            return new ParsedManifest(mediaType, null, List.of(), manifests, subject, artifactType, annotations);
        }
        if (root.has("manifests")) {
            throw invalid("an image manifest has no manifests list");
        }
        if (!root.hasNonNull("config")) {
            throw invalid("config is required");
        }
        Descriptor config = descriptor(root.get("config"), "config");
        List<Descriptor> layers = descriptors(root.get("layers"), "layers", MediaTypes.DOCKER_MANIFEST.equals(mediaType));
        return new ParsedManifest(mediaType, config, layers, List.of(), subject,
            artifactType != null ? artifactType : config.mediaType(), annotations);
    }

    private static String mediaType(JsonNode root, @Nullable String contentType) {
        JsonNode field = root.get("mediaType");
        String declared = null;
        if (field != null && !field.isNull()) {
            if (!field.isString()) {
                throw invalid("mediaType must be a string");
            }
            declared = field.asString();
        }
        boolean headerIsManifest = contentType != null && MediaTypes.isManifest(contentType);
        if (declared != null) {
            if (!MediaTypes.isManifest(declared)) {
                throw invalid(unsupported(declared));
            }
            if (headerIsManifest && !declared.equals(contentType)) {
                throw invalid("Content-Type " + contentType + " does not match the manifest's mediaType " + declared);
            }
            return declared;
        }
        if (headerIsManifest) {
            return contentType;
        }
        if (contentType != null && !contentType.isEmpty()
            && !contentType.equals("application/json") && !contentType.equals(MediaTypes.OCTET_STREAM)) {
            throw invalid(unsupported(contentType));
        }
        if (root.has("manifests")) {
            return MediaTypes.OCI_INDEX;
        }
        if (root.has("config")) {
            return MediaTypes.OCI_MANIFEST;
        }
        throw invalid("cannot determine the manifest's media type");
    }

    private static String unsupported(String mediaType) {
        if (mediaType.equals(MediaTypes.DOCKER_MANIFEST_V1) || mediaType.equals(MediaTypes.DOCKER_MANIFEST_V1_SIGNED)) {
            return "Docker schema 1 manifests are not supported; push with a current client";
        }
        return "unsupported manifest media type: " + mediaType;
    }

    private static List<Descriptor> descriptors(@Nullable JsonNode node, String field, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw invalid(field + " is required");
            }
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid(field + " must be an array");
        }
        List<Descriptor> result = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            result.add(descriptor(node.get(i), field + "[" + i + "]"));
        }
        return List.copyOf(result);
    }

    private static Descriptor descriptor(JsonNode node, String field) {
        if (!node.isObject()) {
            throw invalid(field + " must be a descriptor object");
        }
        requireExactKeys(node, field, DESCRIPTOR_KEYS);
        String mediaType = optionalMediaType(node.get("mediaType"), field + ".mediaType");
        if (mediaType == null) {
            throw invalid(field + ".mediaType is required");
        }
        JsonNode digestNode = node.get("digest");
        if (digestNode == null || !digestNode.isString()) {
            throw invalid(field + ".digest is required");
        }
        Digest digest;
        try {
            digest = Digest.parse(digestNode.asString());
        } catch (PlatformException e) {
            throw invalid(field + ".digest: " + e.detail());
        }
        JsonNode sizeNode = node.get("size");
        if (sizeNode == null || !sizeNode.isIntegralNumber() || !sizeNode.canConvertToLong() || sizeNode.asLong() < 0) {
            throw invalid(field + ".size must be a non-negative integer");
        }
        List<String> urls = new ArrayList<>();
        JsonNode urlsNode = node.get("urls");
        if (urlsNode != null && !urlsNode.isNull()) {
            if (!urlsNode.isArray()) {
                throw invalid(field + ".urls must be an array");
            }
            urlsNode.forEach(u -> {
                if (!u.isString()) {
                    throw invalid(field + ".urls must hold strings");
                }
                urls.add(u.asString());
            });
        }
        return new Descriptor(mediaType, digest, sizeNode.asLong(),
            optionalMediaType(node.get("artifactType"), field + ".artifactType"),
            platform(node.get("platform"), field), List.copyOf(urls),
            annotations(node.get("annotations"), field + ".annotations"));
    }

    private static @Nullable String platform(@Nullable JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || !node.path("os").isString() || !node.path("architecture").isString()) {
            throw invalid(field + ".platform needs os and architecture");
        }
        String platform = node.get("os").asString() + "/" + node.get("architecture").asString();
        if (node.path("variant").isString()) {
            platform += "/" + node.get("variant").asString();
        }
        if (platform.length() > 255) {
            throw invalid(field + ".platform is too long");
        }
        return platform;
    }

    private static @Nullable String optionalMediaType(@Nullable JsonNode node, String field) {
        if (node == null || node.isNull() || (node.isString() && node.asString().isEmpty() && field.endsWith("artifactType"))) {
            return null;
        }
        if (!node.isString() || !MEDIA_TYPE.matcher(node.asString()).matches()) {
            throw invalid(field + " must be a media type");
        }
        return node.asString();
    }

    private static Map<String, String> annotations(@Nullable JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid(field + " must be an object");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (var entry : node.properties()) {
            if (!entry.getValue().isString()) {
                throw invalid(field + " values must be strings");
            }
            result.put(entry.getKey(), entry.getValue().asString());
        }
        return result;
    }

    /**
     * Go's encoding/json, which docker, containerd and the containers/image clients parse manifests
     * with, matches keys case-insensitively: {@code "Layers"} would be read as {@code "layers"}. A key
     * that differs from a known one only in case is refused, so clients read what was checked.
     */
    private static void requireExactKeys(JsonNode node, String field, java.util.Set<String> known) {
        for (String key : node.propertyNames()) {
            for (String k : known) {
                if (!k.equals(key) && k.equalsIgnoreCase(key)) {
                    throw invalid(field + " has a key \"" + key + "\" that clients would read as \"" + k + "\"");
                }
            }
        }
    }

    /** Manifests are JSON, which is UTF-8 without a byte-order mark (RFC 8259 §8.1), as Go clients require. */
    private static void requireUtf8(byte[] body) {
        if (body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf) {
            throw invalid("manifest must not start with a byte-order mark");
        }
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(body));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw invalid("manifest is not valid UTF-8");
        }
        for (byte b : body) {
            if (b == 0) {
                throw invalid("manifest is not valid UTF-8 JSON");
            }
        }
    }

    private static final java.util.Set<String> TOP_LEVEL_KEYS = java.util.Set.of(
        "schemaVersion", "mediaType", "config", "layers", "manifests", "subject", "artifactType", "annotations");
    private static final java.util.Set<String> DESCRIPTOR_KEYS = java.util.Set.of(
        "mediaType", "digest", "size", "urls", "annotations", "platform", "artifactType", "data");

    private static PlatformException invalid(String detail) {
        return new PlatformException(ErrorCode.MANIFEST_INVALID, detail);
    }
}
