package io.wharf.replication.upstream;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The paged listings: tags and the catalog with {@code n}/{@code last} and {@code Link} (distribution
 * spec), and Docker Hub's repositories with {@code page}/{@code page_size} and {@code next}
 * (UPSTREAMS.md §1.7). Hub has no usable {@code _catalog}, so it is never asked for one.
 */
final class Listing {

    static final int PAGE_SIZE = 100;
    private static final int LIMIT = 16 << 20;
    private static final int MAX_PAGES = 100_000;
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");

    private final UpstreamRegistry registry;
    private final Transport transport;

    Listing(UpstreamRegistry registry, Transport transport) {
        this.registry = registry;
        this.transport = transport;
    }

    /** Every tag of {@code name} (already normalised). */
    List<String> tags(String name) {
        return registryPages(URI.create(registry.url() + "/v2/" + name + "/tags/list?n=" + PAGE_SIZE),
            List.of(UpstreamClient.pull(name)), "tags");
    }

    /** The catalog's repositories under {@code namespace} (every one when null or empty). */
    List<String> catalog(@Nullable String namespace) {
        List<String> all = registryPages(URI.create(registry.url() + "/v2/_catalog?n=" + PAGE_SIZE),
            List.of("registry:catalog:*"), "repositories");
        if (namespace == null || namespace.isEmpty()) {
            return all;
        }
        String prefix = namespace.endsWith("/") ? namespace : namespace + "/";
        return all.stream().filter(r -> r.startsWith(prefix)).toList();
    }

    /** Docker Hub's repositories of {@code namespace} as {@code namespace/name}, through the Hub web API. */
    List<String> hubRepositories(String namespace) {
        String base = String.valueOf(registry.hubApiUrl()).replaceAll("/+$", "");
        String query = "page=1&page_size=" + PAGE_SIZE;
        URI legacy = URI.create(base + "/v2/repositories/" + namespace + "/?" + query);
        URI documented = URI.create(base + "/v2/namespaces/" + namespace + "/repositories?" + query);
        List<String> names = new ArrayList<>();
        URI next = legacy;
        for (int page = 0; next != null && page < MAX_PAGES; page++) {
            Received received = transport.send(Call.plain(next, RequestKind.LISTING));
            if (received.status() == 404 && next.equals(legacy)) {
                received.close();
                next = documented;
                continue;
            }
            JsonNode json = json(received.expect("list repositories of " + namespace, 200), next);
            for (JsonNode item : json.path("results")) {
                names.add(item.path("namespace").asString(namespace) + "/" + item.path("name").asString());
            }
            String link = json.path("next").asString(null);
            next = link == null || link.isEmpty() ? null : next.resolve(link);
        }
        return names;
    }

    private List<String> registryPages(URI first, List<String> scopes, String field) {
        List<String> values = new ArrayList<>();
        URI next = first;
        for (int page = 0; next != null && page < MAX_PAGES; page++) {
            Received received = transport.send(Call.registry("GET", next, RequestKind.LISTING, scopes));
            String link = received.header("Link", "");
            JsonNode json = json(received.expect("list " + field, 200), next);
            json.path(field).forEach(v -> values.add(v.asString()));
            URI following = nextLink(link, next);
            next = following == null || following.equals(next) ? null : following;
        }
        return values;
    }

    static @Nullable URI nextLink(String link, URI current) {
        Matcher m = NEXT_LINK.matcher(link);
        return m.find() ? current.resolve(m.group(1)) : null;
    }

    private static JsonNode json(Received received, URI uri) {
        byte[] body = received.bytes(LIMIT);
        try {
            return ErrorBody.JSON.readTree(body);
        } catch (JacksonException e) {
            throw new UpstreamException(200, null, uri + " answered no JSON listing", e);
        }
    }
}
