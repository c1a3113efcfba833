package io.wharf.testkit.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hub.docker.com}'s listing API (UPSTREAMS.md §1.7), anonymous: repositories of a namespace
 * ({@code /v2/repositories/{ns}/}, the older form, and {@code /v2/namespaces/{ns}/repositories}) and
 * tags with metadata ({@code /v2/repositories/{ns}/{repo}/tags/} and
 * {@code /v2/namespaces/{ns}/repositories/{repo}/tags}), paged with {@code page} (from 1) and
 * {@code page_size} (default 10, at most 100) as {@code {"count","next","previous","results"}}.
 */
final class HubApiHandler implements HttpHandler {

    private static final Pattern LEGACY_REPOSITORIES = Pattern.compile("/v2/repositories/([^/]+)/?");
    private static final Pattern REPOSITORIES = Pattern.compile("/v2/namespaces/([^/]+)/repositories/?");
    private static final Pattern LEGACY_TAGS = Pattern.compile("/v2/repositories/([^/]+)/([^/]+)/tags/?");
    private static final Pattern TAGS = Pattern.compile("/v2/namespaces/([^/]+)/repositories/([^/]+)/tags/?");

    private final HubContent content;
    private final Switches switches;
    private final Supplier<String> baseUrl;

    HubApiHandler(HubContent content, Switches switches, Supplier<String> baseUrl) {
        this.content = content;
        this.switches = switches;
        this.baseUrl = baseUrl;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        Matcher m;
        if ((m = REPOSITORIES.matcher(path)).matches()
            || (switches.legacyHubListing && (m = LEGACY_REPOSITORIES.matcher(path)).matches())) {
            String namespace = m.group(1);
            List<String> names = content.repositories().stream().filter(r -> r.startsWith(namespace + "/")).toList();
            if (names.isEmpty()) {
                notFound(ex);
                return;
            }
            page(ex, path, names, name -> repository(namespace, name));
        } else if ((m = TAGS.matcher(path)).matches()
            || (switches.legacyHubListing && (m = LEGACY_TAGS.matcher(path)).matches())) {
            String repository = m.group(1) + "/" + m.group(2);
            if (!content.exists(repository)) {
                notFound(ex);
                return;
            }
            List<Map.Entry<String, HubContent.Tag>> tags = content.tagsByRecency(repository);
            page(ex, path, tags, tag -> tag(repository, tag.getKey(), tag.getValue()));
        } else {
            notFound(ex);
        }
    }

    private <T> void page(HttpExchange ex, String path, List<T> all, Function<T, Map<String, Object>> item)
        throws IOException {
        Map<String, List<String>> query = Exchanges.query(ex);
        int page = Math.max(1, Exchanges.intParam(query, "page", 1));
        int size = Math.min(100, Math.max(1, Exchanges.intParam(query, "page_size", 10)));
        int from = Math.min(all.size(), (page - 1) * size);
        int to = Math.min(all.size(), from + size);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", all.size());
        body.put("next", to < all.size() ? baseUrl.get() + path + "?page=" + (page + 1) + "&page_size=" + size : null);
        body.put("previous", page > 1 ? baseUrl.get() + path + "?page=" + (page - 1) + "&page_size=" + size : null);
        body.put("results", all.subList(from, to).stream().map(item).toList());
        Exchanges.json(ex, 200, body);
    }

    private Map<String, Object> repository(String namespace, String fullName) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", fullName.substring(namespace.length() + 1));
        item.put("namespace", namespace);
        item.put("repository_type", "image");
        item.put("status", 1);
        item.put("is_private", false);
        item.put("star_count", 0);
        item.put("pull_count", 0);
        item.put("last_updated", content.updated(fullName).toString());
        return item;
    }

    private Map<String, Object> tag(String repository, String name, HubContent.Tag tag) {
        List<Map<String, Object>> images = new ArrayList<>();
        long fullSize = 0;
        HubContent.Manifest manifest = content.manifest(repository, tag.digest()).orElseThrow();
        JsonNode json = Exchanges.JSON.readTree(manifest.bytes());
        if (json.has("manifests")) {
            for (JsonNode child : json.path("manifests")) {
                JsonNode platform = child.path("platform");
                long size = content.manifest(repository, child.path("digest").asString()).map(this::imageSize).orElse(0L);
                images.add(image(platform.path("os").asString(""), platform.path("architecture").asString(""),
                    platform.path("variant").asString(null), child.path("digest").asString(), size));
                fullSize += size;
            }
        } else {
            JsonNode config = configOf(json);
            fullSize = imageSize(manifest);
            images.add(image(config.path("os").asString(""), config.path("architecture").asString(""),
                config.path("variant").asString(null), tag.digest(), fullSize));
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", name);
        item.put("digest", tag.digest());
        item.put("full_size", fullSize);
        item.put("last_updated", tag.updated().toString());
        item.put("tag_last_pushed", tag.updated().toString());
        item.put("tag_status", "active");
        item.put("images", images);
        return item;
    }

    private JsonNode configOf(JsonNode manifest) {
        Optional<byte[]> config = content.blob(manifest.path("config").path("digest").asString());
        return config.map(Exchanges.JSON::readTree).orElse(Exchanges.JSON.createObjectNode());
    }

    private long imageSize(HubContent.Manifest manifest) {
        long size = 0;
        for (JsonNode layer : Exchanges.JSON.readTree(manifest.bytes()).path("layers")) {
            size += layer.path("size").asLong();
        }
        return size;
    }

    private static Map<String, Object> image(String os, String architecture, String variant, String digest, long size) {
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("architecture", architecture);
        image.put("os", os);
        if (variant != null) {
            image.put("variant", variant);
        }
        image.put("digest", digest);
        image.put("size", size);
        image.put("status", "active");
        return image;
    }

    private static void notFound(HttpExchange ex) throws IOException {
        Exchanges.json(ex, 404, Map.of("message", "object not found", "errinfo", Map.of()));
    }
}
