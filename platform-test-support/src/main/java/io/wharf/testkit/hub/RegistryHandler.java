package io.wharf.testkit.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.wharf.testkit.TestImage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code registry-1.docker.io} (UPSTREAMS.md §1): {@code /v2/} and every repository request behind a
 * Bearer challenge; {@code _catalog} behind a challenge no token satisfies (unless the catalog is
 * switched on); manifests by tag and digest with the pull quota; tag lists paged with {@code Link};
 * blob GETs redirected to the CDN; and a simple push side (uploads, mounts, manifest PUT and DELETE).
 */
final class RegistryHandler implements HttpHandler {

    static final String SERVICE = DockerHubEmulator.SERVICE;

    private final Clock clock;
    private final HubContent content;
    private final TokenServer tokens;
    private final PullBudget budget;
    private final Switches switches;
    private final Supplier<String> realm;
    private final Supplier<String> registryUrl;
    private final Supplier<String> cdnUrl;
    private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();

    RegistryHandler(Clock clock, HubContent content, TokenServer tokens, PullBudget budget, Switches switches,
                    Supplier<String> realm, Supplier<String> registryUrl, Supplier<String> cdnUrl) {
        this.clock = clock;
        this.content = content;
        this.tokens = tokens;
        this.budget = budget;
        this.switches = switches;
        this.realm = realm;
        this.registryUrl = registryUrl;
        this.cdnUrl = cdnUrl;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (Switches.take(switches.resets)) {
            throw new Switches.DroppedConnection("emulated connection reset");
        }
        if (Switches.take(switches.abuseLimited)) {
            ex.getResponseHeaders().set("Retry-After", "60");
            Exchanges.send(ex, 429, "text/plain", "Too Many Requests (HAP429).\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (Switches.take(switches.serverErrors)) {
            Exchanges.send(ex, 503, "text/html", "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
                .getBytes(StandardCharsets.UTF_8));
            return;
        }
        String path = ex.getRequestURI().getPath();
        if (path.equals("/v2/") || path.equals("/v2")) {
            if (tokens.grant(ex).isEmpty()) {
                challenge(ex, null);
            } else {
                Exchanges.json(ex, 200, Map.of());
            }
            return;
        }
        if (path.equals("/v2/_catalog")) {
            catalog(ex);
            return;
        }
        route(ex, path);
    }

    private void route(HttpExchange ex, String path) throws IOException {
        String rest = path.substring("/v2/".length());
        String method = ex.getRequestMethod();
        int at;
        if ((at = rest.indexOf("/manifests/")) > 0) {
            manifest(ex, rest.substring(0, at), rest.substring(at + "/manifests/".length()));
        } else if ((at = rest.indexOf("/blobs/uploads")) > 0) {
            String id = rest.substring(at + "/blobs/uploads".length()).replaceAll("^/+", "");
            upload(ex, rest.substring(0, at), id);
        } else if ((at = rest.indexOf("/blobs/")) > 0 && (method.equals("GET") || method.equals("HEAD"))) {
            blob(ex, rest.substring(0, at), rest.substring(at + "/blobs/".length()));
        } else if (rest.endsWith("/tags/list") && method.equals("GET")) {
            tags(ex, rest.substring(0, rest.length() - "/tags/list".length()));
        } else {
            Exchanges.error(ex, 404, "UNSUPPORTED", "the emulator does not serve " + method + " " + path);
        }
    }

    private void manifest(HttpExchange ex, String name, String reference) throws IOException {
        String method = ex.getRequestMethod();
        boolean read = method.equals("GET") || method.equals("HEAD");
        Optional<TokenServer.Grant> grant = authorize(ex, name, read ? "pull" : "push");
        if (grant.isEmpty()) {
            return;
        }
        if (method.equals("PUT")) {
            String mediaType = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse(TestImage.OCI_MANIFEST);
            String digest = content.putManifest(name, reference, mediaType, Exchanges.body(ex), clock.instant());
            ex.getResponseHeaders().set("Location", "/v2/" + name + "/manifests/" + digest);
            ex.getResponseHeaders().set("Docker-Content-Digest", digest);
            Exchanges.empty(ex, 201);
            return;
        }
        if (method.equals("DELETE")) {
            if (content.delete(name, reference)) {
                Exchanges.empty(ex, 202);
            } else {
                Exchanges.error(ex, 404, "MANIFEST_UNKNOWN", "manifest unknown");
            }
            return;
        }
        String client = grant.get().anonymous() ? "ip:" + ex.getRemoteAddress().getAddress().getHostAddress()
            : grant.get().subject();
        String source = grant.get().anonymous() ? ex.getRemoteAddress().getAddress().getHostAddress()
            : grant.get().subject();
        Optional<HubContent.Manifest> manifest = content.manifest(name, reference);
        if (manifest.isEmpty()) {
            Exchanges.error(ex, 404, "MANIFEST_UNKNOWN", "manifest unknown");
            return;
        }
        if (method.equals("GET") && !budget.take(client, clock.instant())) {
            budget.announce(ex, client, source, clock.instant());
            Exchanges.error(ex, 429, "TOOMANYREQUESTS", "You have reached your pull rate limit as '" + source
                + "'. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit");
            return;
        }
        budget.announce(ex, client, source, clock.instant());
        ex.getResponseHeaders().set("Docker-Content-Digest", manifest.get().digest());
        Exchanges.send(ex, 200, manifest.get().mediaType(), manifest.get().bytes());
    }

    private void blob(HttpExchange ex, String name, String digest) throws IOException {
        if (authorize(ex, name, "pull").isEmpty()) {
            return;
        }
        Optional<byte[]> blob = content.hasBlob(name, digest) ? content.blob(digest) : Optional.empty();
        if (blob.isEmpty()) {
            Exchanges.error(ex, 404, "BLOB_UNKNOWN", "blob unknown to registry");
            return;
        }
        if (ex.getRequestMethod().equals("GET") && switches.blobDelivery == DockerHubEmulator.BlobDelivery.REDIRECT) {
            long expires = clock.instant().plusSeconds(1200).getEpochSecond();
            ex.getResponseHeaders().set("Location", cdnUrl.get() + "/blobs/" + digest + "?expires=" + expires
                + "&signature=emulated");
            Exchanges.empty(ex, 307);
            return;
        }
        BlobBody.serve(ex, digest, blob.get(), switches);
    }

    private void tags(HttpExchange ex, String name) throws IOException {
        if (authorize(ex, name, "pull").isEmpty()) {
            return;
        }
        page(ex, "/v2/" + name + "/tags/list", content.tags(name), Map.of("name", name), "tags");
    }

    private void catalog(HttpExchange ex) throws IOException {
        boolean granted = tokens.grant(ex).map(g -> g.access().contains("catalog")).orElse(false);
        if (!switches.catalog || !granted) {
            challenge(ex, "registry:catalog:*");
            return;
        }
        page(ex, "/v2/_catalog", content.repositories(), Map.of(), "repositories");
    }

    /** A list paged with {@code n} and {@code last}; a {@code Link} names the next page. */
    private static void page(HttpExchange ex, String path, List<String> all, Map<String, Object> fields, String field)
        throws IOException {
        Map<String, List<String>> query = Exchanges.query(ex);
        int n = Math.min(Exchanges.intParam(query, "n", all.size()), 1000);
        String last = Exchanges.param(query, "last", null);
        List<String> after = last == null ? all : all.stream().filter(t -> t.compareTo(last) > 0).toList();
        List<String> page = after.subList(0, Math.min(Math.max(n, 0), after.size()));
        if (page.size() < after.size() && !page.isEmpty()) {
            ex.getResponseHeaders().set("Link", "<" + path + "?n=" + n + "&last="
                + URLEncoder.encode(page.get(page.size() - 1), StandardCharsets.UTF_8) + ">; rel=\"next\"");
        }
        Map<String, Object> body = new java.util.LinkedHashMap<>(fields);
        body.put(field, page);
        Exchanges.json(ex, 200, body);
    }

    private void upload(HttpExchange ex, String name, String id) throws IOException {
        if (authorize(ex, name, "push").isEmpty()) {
            return;
        }
        Map<String, List<String>> query = Exchanges.query(ex);
        switch (ex.getRequestMethod()) {
            case "POST" -> {
                String mount = Exchanges.param(query, "mount", null);
                String from = Exchanges.param(query, "from", null);
                boolean mayReadFrom = from != null && tokens.grant(ex).map(g -> g.access().contains(from + ":pull")
                    || !g.anonymous()).orElse(false);
                if (mount != null && mayReadFrom && content.hasBlob(from, mount)) {
                    content.linkBlob(name, mount, clock.instant());
                    ex.getResponseHeaders().set("Location", "/v2/" + name + "/blobs/" + mount);
                    ex.getResponseHeaders().set("Docker-Content-Digest", mount);
                    Exchanges.empty(ex, 201);
                    return;
                }
                String uuid = UUID.randomUUID().toString();
                uploads.put(uuid, new ByteArrayOutputStream());
                accepted(ex, name, uuid, 0);
            }
            case "PATCH", "PUT" -> {
                boolean last = ex.getRequestMethod().equals("PUT");
                ByteArrayOutputStream data = last ? uploads.remove(id) : uploads.get(id);
                if (data == null) {
                    Exchanges.error(ex, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
                    return;
                }
                data.writeBytes(Exchanges.body(ex));
                if (!last) {
                    accepted(ex, name, id, data.size());
                    return;
                }
                String digest = Exchanges.param(query, "digest", "");
                if (!digest.equals(TestImage.sha256(data.toByteArray()))) {
                    Exchanges.error(ex, 400, "DIGEST_INVALID", "provided digest did not match uploaded content");
                    return;
                }
                content.putBlob(name, data.toByteArray(), clock.instant());
                ex.getResponseHeaders().set("Location", "/v2/" + name + "/blobs/" + digest);
                ex.getResponseHeaders().set("Docker-Content-Digest", digest);
                Exchanges.empty(ex, 201);
            }
            case "DELETE" -> Exchanges.empty(ex, uploads.remove(id) == null ? 404 : 204);
            default -> Exchanges.error(ex, 405, "UNSUPPORTED", "unsupported");
        }
    }

    private void accepted(HttpExchange ex, String name, String uuid, int size) throws IOException {
        String location = "/v2/" + name + "/blobs/uploads/" + uuid + "?_state=emulated";
        ex.getResponseHeaders().set("Location", switches.absoluteUploadLocations ? registryUrl.get() + location : location);
        ex.getResponseHeaders().set("Docker-Upload-UUID", uuid);
        ex.getResponseHeaders().set("Range", "0-" + Math.max(0, size - 1));
        Exchanges.empty(ex, 202);
    }

    /** The request's grant when it allows {@code action} on {@code name}; otherwise answers 401 and returns empty. */
    private Optional<TokenServer.Grant> authorize(HttpExchange ex, String name, String action) throws IOException {
        Optional<TokenServer.Grant> grant = tokens.grant(ex);
        if (grant.isPresent() && grant.get().access().contains(name + ":" + action)) {
            return grant;
        }
        challenge(ex, "repository:" + name + ":" + (action.equals("pull") ? "pull" : "pull,push"));
        return Optional.empty();
    }

    private void challenge(HttpExchange ex, String scope) throws IOException {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"" + realm.get() + "\",service=\"" + SERVICE + "\""
            + (scope == null ? "" : ",scope=\"" + scope + "\""));
        Exchanges.error(ex, 401, "UNAUTHORIZED", "authentication required");
    }
}
