package io.wharf.replication.engine;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What the engine needs to know of a manifest to copy it: the blobs an image references (config and
 * layers) and the children of an index with their platforms. Core validates the manifest again when
 * it is stored.
 */
record ManifestDocument(String mediaType, byte[] bytes, List<Descriptor> blobs, List<Descriptor> children) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A referenced blob or child manifest; {@code platform} is {@code os/arch[/variant]} for index children. */
    record Descriptor(String digest, String mediaType, long size, @Nullable String platform) {
    }

    boolean isIndex() {
        return !children.isEmpty() || mediaType.contains("index") || mediaType.contains("manifest.list");
    }

    static ManifestDocument parse(String mediaType, byte[] bytes) {
        JsonNode root = tree(bytes);
        List<Descriptor> blobs = new ArrayList<>();
        List<Descriptor> children = new ArrayList<>();
        if (root.has("config")) {
            blobs.add(descriptor(root.get("config")));
        }
        for (JsonNode layer : root.path("layers")) {
            blobs.add(descriptor(layer));
        }
        for (JsonNode child : root.path("manifests")) {
            children.add(descriptor(child));
        }
        return new ManifestDocument(mediaType, bytes, blobs, children);
    }

    /**
     * This index with only the children whose platform is in {@code platforms}, its other fields as
     * they were; the bytes (and so the digest) change.
     *
     * @throws PlatformException {@link ErrorCode#MANIFEST_UNKNOWN} when no child matches
     */
    ManifestDocument keepPlatforms(List<String> platforms) {
        ObjectNode root = (ObjectNode) tree(bytes);
        ArrayNode kept = JSON.createArrayNode();
        List<Descriptor> keptChildren = new ArrayList<>();
        int i = 0;
        for (JsonNode child : root.path("manifests")) {
            Descriptor d = children.get(i++);
            if (d.platform() != null && matches(d.platform(), platforms)) {
                kept.add(child);
                keptChildren.add(d);
            }
        }
        if (keptChildren.isEmpty()) {
            throw new PlatformException(ErrorCode.MANIFEST_UNKNOWN, "the index has none of the platforms " + platforms);
        }
        root.set("manifests", kept);
        return new ManifestDocument(mediaType, JSON.writeValueAsBytes(root), blobs, keptChildren);
    }

    /** {@code os/arch} matches any variant of it; {@code os/arch/variant} only that variant. */
    static boolean matches(String platform, List<String> wanted) {
        return wanted.stream().anyMatch(w -> platform.equals(w) || platform.startsWith(w + "/"));
    }

    private static Descriptor descriptor(JsonNode node) {
        JsonNode p = node.path("platform");
        String platform = p.isMissingNode() ? null : p.path("os").asString("") + "/" + p.path("architecture").asString("")
            + (p.hasNonNull("variant") ? "/" + p.get("variant").asString() : "");
        return new Descriptor(node.path("digest").asString(""), node.path("mediaType").asString(""), node.path("size").asLong(-1), platform);
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new PlatformException(ErrorCode.MANIFEST_INVALID, "the source manifest is not JSON: " + e.getOriginalMessage());
        }
    }
}
