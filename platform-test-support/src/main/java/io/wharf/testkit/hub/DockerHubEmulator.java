package io.wharf.testkit.hub;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.wharf.testkit.TestImage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Docker Hub in one JVM, faithful to UPSTREAMS.md §1: four HTTP servers on {@code 127.0.0.1} with
 * random ports, one per host Docker Hub uses.
 *
 * <ul>
 *   <li>{@link Role#REGISTRY} ({@code registry-1.docker.io}): {@code /v2/...} behind Bearer challenges,
 *       the pull quota on manifest GETs, blob GETs answered with a 307 to the CDN, and a simple push side.</li>
 *   <li>{@link Role#AUTH} ({@code auth.docker.io}): {@code /token}, service {@value #SERVICE}, 300 s tokens
 *       with {@code token} and {@code access_token}, for any scope (with empty access where not allowed).</li>
 *   <li>{@link Role#HUB} ({@code hub.docker.com}): repository and tag listings.</li>
 *   <li>{@link Role#CDN}: the blob bytes, with {@code Range}.</li>
 * </ul>
 *
 * Seed it with {@link #push(String, String, TestImage)} (and the index variants), set faults and limits
 * with the switches, and assert on {@link #requests()}. Time (token expiry, the quota window) comes from
 * the {@link Clock} given, typically a {@code MutableClock}. Close it to stop the servers.
 */
public final class DockerHubEmulator implements AutoCloseable {

    /** Docker Hub's token {@code service}. */
    public static final String SERVICE = "registry.docker.io";

    /** The emulated hosts. */
    public enum Role { REGISTRY, AUTH, HUB, CDN }

    /** How blob GETs on the registry are answered. */
    public enum BlobDelivery {
        /** A 307 to the CDN, as Docker Hub does. */
        REDIRECT,
        /** The bytes themselves, as a plain registry does. */
        DIRECT
    }

    private final Clock clock;
    private final HubContent content = new HubContent();
    private final Switches switches = new Switches();
    private final PullBudget budget = new PullBudget();
    private final TokenServer tokens;
    private final List<LoggedRequest> log = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "docker-hub-emulator");
        t.setDaemon(true);
        return t;
    });
    private final Map<Role, HttpServer> servers = new LinkedHashMap<>();

    /** Starts the four servers; {@code clock} drives token expiry and the quota window. */
    public DockerHubEmulator(Clock clock) {
        this.clock = clock;
        this.tokens = new TokenServer(clock, content, switches);
        start(Role.AUTH, tokens);
        start(Role.CDN, new CdnHandler(content, switches));
        start(Role.HUB, new HubApiHandler(content, switches, () -> url(Role.HUB)));
        start(Role.REGISTRY, new RegistryHandler(clock, content, tokens, budget, switches, this::realm,
            () -> url(Role.REGISTRY), () -> url(Role.CDN)));
    }

    // ---- addresses -----------------------------------------------------------------------------

    /** The registry's base URL (no {@code /v2}), e.g. {@code http://127.0.0.1:41234}. */
    public URI registryUrl() {
        return URI.create(url(Role.REGISTRY));
    }

    /** The Hub web API's base URL. */
    public URI hubApiUrl() {
        return URI.create(url(Role.HUB));
    }

    /** The token endpoint as challenges name it (on {@code localhost} with {@link #foreignRealm}). */
    public URI realmUrl() {
        return URI.create(realm());
    }

    /** The CDN's base URL. */
    public URI cdnUrl() {
        return URI.create(url(Role.CDN));
    }

    // ---- seeding and inspection ----------------------------------------------------------------

    /** Adds an account the token endpoint accepts with Basic credentials; accounts may push anywhere. */
    public DockerHubEmulator account(String username, String password) {
        tokens.account(username, password);
        return this;
    }

    /** Stores an image's blobs and manifest and tags it; returns the manifest digest. */
    public String push(String repository, String tag, TestImage image) {
        image.blobs().forEach(blob -> putBlob(repository, blob));
        return putManifest(repository, tag, image.manifestType(), image.manifest());
    }

    /**
     * Stores a multi-platform index ({@link TestImage#index}) with its images (each by digest) and tags it;
     * returns the index digest.
     */
    public String push(String repository, String tag, TestImage.Blob index, TestImage... images) {
        for (TestImage image : images) {
            push(repository, image.manifestDigest(), image);
        }
        return putManifest(repository, tag, index.mediaType(), index.content());
    }

    /** Builds an index over {@code images} in {@code format}, stores it all and tags it; returns the index. */
    public TestImage.Blob pushIndex(String repository, String tag, TestImage.Format format,
                                    Map<TestImage.Platform, TestImage> images) {
        TestImage.Blob index = TestImage.index(format, images);
        push(repository, tag, index, images.values().toArray(TestImage[]::new));
        return index;
    }

    /** Points {@code tag} at a stored manifest; returns the digest. */
    public String tag(String repository, String tag, String digest) {
        HubContent.Manifest manifest = content.manifest(repository, digest)
            .orElseThrow(() -> new IllegalArgumentException("no manifest " + digest + " in " + repository));
        return content.putManifest(repository, tag, manifest.mediaType(), manifest.bytes(), clock.instant());
    }

    /** Stores a blob and links it into {@code repository}; returns its digest. */
    public String putBlob(String repository, byte[] blob) {
        return content.putBlob(repository, blob, clock.instant());
    }

    /** Stores a manifest under its digest and, when {@code reference} is a tag, that tag; returns the digest. */
    public String putManifest(String repository, String reference, String mediaType, byte[] manifest) {
        return content.putManifest(repository, reference, mediaType, manifest, clock.instant());
    }

    /** Serves {@code bytes} as manifest {@code digest} whatever they hash to: a corrupt upstream. */
    public DockerHubEmulator tamperManifest(String repository, String digest, String mediaType, byte[] bytes) {
        content.tamper(repository, digest, mediaType, bytes, clock.instant());
        return this;
    }

    /** The manifest a tag or digest names in {@code repository}. */
    public Optional<TestImage.Blob> manifest(String repository, String reference) {
        return content.manifest(repository, reference).map(m -> new TestImage.Blob(m.mediaType(), m.bytes()));
    }

    /** Whether {@code repository} has blob {@code digest} (pushed, seeded or mounted). */
    public boolean hasBlob(String repository, String digest) {
        return content.hasBlob(repository, digest);
    }

    /** The tags of {@code repository}, sorted. */
    public List<String> tags(String repository) {
        return content.tags(repository);
    }

    // ---- switches ------------------------------------------------------------------------------

    /** Manifest GETs per client (IP or account) and window; the default is 100 per 21 600 s. */
    public DockerHubEmulator rateLimit(int limit, Duration window) {
        budget.limit(limit, window);
        return this;
    }

    /** No quota: manifest responses carry no {@code ratelimit-*} headers (a paid account). */
    public DockerHubEmulator unlimited() {
        budget.unlimited();
        return this;
    }

    /** Pulls left for an anonymous client on 127.0.0.1 ({@code ip:127.0.0.1}) or an account (its name). */
    public int remainingPulls(String client) {
        return budget.remaining(client, clock.instant());
    }

    /** The next {@code requests} registry requests get the abuse limit: 429 {@code text/plain}, {@code Retry-After: 60}. */
    public DockerHubEmulator abuseLimitNext(int requests) {
        switches.abuseLimited.set(requests);
        return this;
    }

    /** The next {@code requests} registry requests get a 503 with an HTML body. */
    public DockerHubEmulator failNext(int requests) {
        switches.serverErrors.set(requests);
        return this;
    }

    /** The next {@code requests} registry requests are dropped without a response (a connection reset). */
    public DockerHubEmulator resetNext(int requests) {
        switches.resets.set(requests);
        return this;
    }

    /** The next {@code times} blob bodies (CDN or direct) stop after {@code bytes} bytes and drop the connection. */
    public DockerHubEmulator cutBlobBodies(long bytes, int times) {
        switches.cutAfter.set(bytes);
        switches.cuts.set(times);
        return this;
    }

    /** The next {@code times} blob bodies have one byte changed (their digest no longer matches). */
    public DockerHubEmulator corruptBlobBodies(int times) {
        switches.corruptions.set(times);
        return this;
    }

    /**
     * The next blob body stops after {@code bytes} bytes and waits (the connection open) until the
     * returned hold is released, then sends the rest: a download caught in the middle.
     */
    public Hold holdBlobBody(long bytes) {
        Hold hold = new Hold(bytes);
        switches.hold = hold;
        return hold;
    }

    /** A blob body held in the middle (see {@link #holdBlobBody}). */
    public static final class Hold {
        private final long bytes;
        private final java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

        Hold(long bytes) {
            this.bytes = bytes;
        }

        /** The number of bytes sent before the body waits. */
        public long bytes() {
            return bytes;
        }

        /** Waits until a body has sent its first bytes and is held. */
        public void awaitHeld() throws InterruptedException {
            if (!reached.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("no blob body reached the hold");
            }
        }

        /** Lets the held body send the rest. */
        public void release() {
            released.countDown();
        }

        void hold() throws InterruptedException {
            reached.countDown();
            if (!released.await(120, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("a held blob body was never released");
            }
        }
    }

    /** Whether blob GETs are redirected to the CDN (the default) or served by the registry. */
    public DockerHubEmulator blobDelivery(BlobDelivery delivery) {
        switches.blobDelivery = delivery;
        return this;
    }

    /**
     * Whether challenges name the token realm on {@code localhost} instead of {@code 127.0.0.1}: another
     * host than the registry's, which must then get no credentials.
     */
    public DockerHubEmulator foreignRealm(boolean foreign) {
        switches.foreignRealm = foreign;
        return this;
    }

    /** Invalidates every token issued so far (as if they had expired upstream). */
    public DockerHubEmulator revokeTokens() {
        tokens.revokeAll();
        return this;
    }

    /** Whether {@code /v2/_catalog} is served (a plain registry) instead of refused (Docker Hub, the default). */
    public DockerHubEmulator catalog(boolean served) {
        switches.catalog = served;
        return this;
    }

    /** Whether the Hub API's older {@code /v2/repositories/{ns}/} paths answer (default) or 404. */
    public DockerHubEmulator legacyHubListing(boolean served) {
        switches.legacyHubListing = served;
        return this;
    }

    /** Whether upload {@code Location}s are absolute URLs instead of paths (the default). */
    public DockerHubEmulator absoluteUploadLocations(boolean absolute) {
        switches.absoluteUploadLocations = absolute;
        return this;
    }

    // ---- request log ---------------------------------------------------------------------------

    /** Every request received so far, in arrival order. */
    public List<LoggedRequest> requests() {
        return List.copyOf(log);
    }

    /** The requests one host received. */
    public List<LoggedRequest> requests(Role role) {
        return log.stream().filter(r -> r.role() == role).toList();
    }

    /** How many requests (any host) had {@code method} and a path matching the regular expression. */
    public long count(String method, String pathPattern) {
        Pattern pattern = Pattern.compile(pathPattern);
        return log.stream().filter(r -> r.method().equals(method) && pattern.matcher(r.path()).matches()).count();
    }

    /** How many requests {@code role} received with {@code method} and a path matching the regular expression. */
    public long count(Role role, String method, String pathPattern) {
        Pattern pattern = Pattern.compile(pathPattern);
        return log.stream().filter(r -> r.role() == role && r.method().equals(method)
            && pattern.matcher(r.path()).matches()).count();
    }

    /** Tokens issued by the token endpoint so far (log-independent). */
    public long tokensIssued() {
        return tokens.issued();
    }

    /** Whether any CDN request carried an {@code Authorization} header (it never should). */
    public boolean cdnSawAuthorization() {
        return requests(Role.CDN).stream().anyMatch(LoggedRequest::hasAuthorization);
    }

    /** Empties the request log. */
    public void clearRequests() {
        log.clear();
    }

    @Override
    public void close() {
        servers.values().forEach(server -> server.stop(0));
        executor.shutdownNow();
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private String url(Role role) {
        return "http://127.0.0.1:" + servers.get(role).getAddress().getPort();
    }

    private String realm() {
        String host = switches.foreignRealm ? "localhost" : "127.0.0.1";
        return "http://" + host + ":" + servers.get(Role.AUTH).getAddress().getPort() + "/token";
    }

    private void start(Role role, HttpHandler handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", logged(role, handler));
            server.setExecutor(executor);
            server.start();
            servers.put(role, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Logs each request on arrival; a handler that throws drops the connection (the faults rely on it). */
    private HttpHandler logged(Role role, HttpHandler handler) {
        return ex -> {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
            String query = ex.getRequestURI().getRawQuery();
            LoggedRequest request = new LoggedRequest(role, ex.getRequestMethod(), ex.getRequestURI().getPath(),
                query == null ? "" : query, Map.copyOf(headers), clock.instant());
            log.add(request);
            ex.setAttribute(Exchanges.LOG_ATTRIBUTE, request);
            try {
                handler.handle(ex);
            } catch (RuntimeException e) {
                if (!(e instanceof Switches.DroppedConnection)) {
                    System.err.println("docker hub emulator: " + request + " failed: " + e); // an emulator bug
                }
                throw e;
            }
        };
    }
}
