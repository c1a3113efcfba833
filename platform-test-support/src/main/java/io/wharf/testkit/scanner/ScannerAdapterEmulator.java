package io.wharf.testkit.scanner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scanner adapter on {@code 127.0.0.1} (random port) that follows Harbor's pluggable scanner
 * adapter API v1 (spec 1.0 to 1.2):
 *
 * <ul>
 *   <li>{@code GET /api/v1/metadata}: the scanner, its capabilities (vulnerability, and sbom when
 *       {@link #sbom switched on}) in the metadata version set with {@link #metadataVersion}.</li>
 *   <li>{@code POST /api/v1/scan}: records the request ({@link #scanRequests()}), pulls the artifact
 *       from {@code registry.url} with {@code registry.authorization} as a real adapter does
 *       ({@link RegistryPuller}; {@link #pulls()}, off with {@link #pullOnScan}; the credential sent
 *       directly, or through the token realm as trivy does with {@link #pullMode}) and answers 202 with a
 *       new id; 400 when the body is not a scan request, 422 when it lacks the artifact. A failed pull
 *       makes the report a 500 naming the failure, as an adapter whose scan failed.</li>
 *   <li>{@code GET /api/v1/scan/{id}/report}: 302 with {@code Refresh-After} until the report is
 *       ready ({@link #markReady}, or after {@link #readyAfterPolls N polls}), then 200 with the
 *       vulnerability report ({@link #vulnerabilities}) or an SBOM, in the media type asked for; 404
 *       for an unknown id.</li>
 * </ul>
 *
 * Switches: {@link #requireAuth} (401 for a missing or wrong credential), {@link #failWith} (every
 * call answers that status with the spec's error body), {@link #reportFailure} and
 * {@link #reportStatus} (report polls answer 500 with trivy's error body, or a bare status),
 * {@link #hang} (every answer waits, for client timeouts; released on {@link #close}),
 * {@link #redirectMetadataTo}. Every request is logged
 * ({@link #requests()}). Tests never wait on it: all state changes are explicit calls.
 */
public final class ScannerAdapterEmulator implements AutoCloseable {

    public static final String METADATA_TYPE = "application/vnd.scanner.adapter.metadata+json";
    public static final String SCAN_REQUEST_TYPE = "application/vnd.scanner.adapter.scan.request+json";
    public static final String SCAN_RESPONSE = "application/vnd.scanner.adapter.scan.response+json; version=1.0";
    public static final String ERROR = "application/vnd.scanner.adapter.error+json; version=1.0";
    /** The error type harbor-scanner-trivy sends (without the spec's {@code +json}). */
    public static final String TRIVY_ERROR = "application/vnd.scanner.adapter.error; version=1.0";
    public static final String VULNERABILITY_REPORT = "application/vnd.security.vulnerability.report; version=1.1";
    public static final String VULNERABILITY_REPORT_V10 = "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0";
    public static final String SBOM_REPORT = "application/vnd.security.sbom.report+json; version=1.0";
    public static final List<String> CONSUMES = List.of("application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One vulnerability of the report. */
    public record Vulnerability(String id, String pkg, String version, String fixVersion, String severity) {
    }

    /** A scan request as the adapter received it. */
    public record ScanRequestRecord(String id, String registryUrl, String authorization, String repository,
                                    String digest, String tag, String mimeType, String contentType, JsonNode body) {
    }

    /** A request the adapter received: method, path and headers (names in lower case). */
    public record LoggedRequest(String method, String path, Map<String, String> headers) {

        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scanner-adapter-emulator");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<LoggedRequest> log = new CopyOnWriteArrayList<>();
    private final Map<String, ScanRequestRecord> scans = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    private volatile String scannerName = "Emulated Trivy";
    private volatile String scannerVendor = "Wharf tests";
    private volatile String scannerVersion = "0.1.0";
    private volatile String metadataVersion = "1.1";
    private volatile boolean sbom;
    private volatile List<Vulnerability> vulnerabilities = List.of(
        new Vulnerability("CVE-2024-0001", "openssl", "3.0.1", "3.0.2", "High"),
        new Vulnerability("CVE-2024-0002", "zlib", "1.2.11", "", "Low"));
    private volatile String authType = "";
    private volatile String credential = "";
    private volatile int failStatus;
    private volatile String failMessage = "";
    private volatile Duration hang = Duration.ZERO;
    private volatile URI metadataRedirect;
    private volatile Integer refreshAfter = 5;
    private volatile int readyAfterPolls = -1;
    private volatile String reportFailure;
    private volatile int reportStatus;
    private volatile boolean pullOnScan = true;
    private volatile RegistryPuller.Mode pullMode = RegistryPuller.Mode.CREDENTIAL;
    private final Map<String, PullOutcome> pulls = new ConcurrentHashMap<>();

    /** What pulling the artifact of a scan request gave: the content, or the registry's refusal. */
    public record PullOutcome(RegistryPuller.Pulled pulled, RegistryPuller.PullFailed failure) {

        public boolean succeeded() {
            return failure == null;
        }
    }

    private ScannerAdapterEmulator() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts an adapter without authentication, with a vulnerability capability and two vulnerabilities. */
    public static ScannerAdapterEmulator start() {
        return new ScannerAdapterEmulator();
    }

    /** The adapter's base URL, e.g. {@code http://127.0.0.1:41234} (the API is under {@code /api/v1}). */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    // ---- configuration -------------------------------------------------------------------------

    /** The scanner the metadata names. */
    public ScannerAdapterEmulator scanner(String name, String vendor, String version) {
        scannerName = name;
        scannerVendor = vendor;
        scannerVersion = version;
        return this;
    }

    /** The metadata's media type version ({@code 1.1} by default; {@code 1.0} for older adapters). */
    public ScannerAdapterEmulator metadataVersion(String version) {
        metadataVersion = version;
        return this;
    }

    /** Whether the metadata offers the {@code sbom} capability (spec 1.2). */
    public ScannerAdapterEmulator sbom(boolean offered) {
        sbom = offered;
        return this;
    }

    /** The vulnerabilities every report lists. */
    public ScannerAdapterEmulator vulnerabilities(List<Vulnerability> found) {
        vulnerabilities = List.copyOf(found);
        return this;
    }

    /**
     * Requires a credential: {@code type} {@code Basic} ({@code credential} is {@code user:password},
     * expected base64-encoded), {@code Bearer} or {@code X-ScannerAdapter-API-Key}; {@code ""} for none.
     */
    public ScannerAdapterEmulator requireAuth(String type, String credential) {
        this.authType = type;
        this.credential = credential;
        return this;
    }

    /** Every call answers {@code status} with the spec's error body; 0 switches it off. */
    public ScannerAdapterEmulator failWith(int status, String message) {
        failStatus = status;
        failMessage = message;
        return this;
    }

    /** Every answer waits {@code delay} first (at most until {@link #close}); zero switches it off. */
    public ScannerAdapterEmulator hang(Duration delay) {
        hang = delay;
        return this;
    }

    /** Metadata requests are answered with a 302 to {@code target}'s metadata; null switches it off. */
    public ScannerAdapterEmulator redirectMetadataTo(URI target) {
        metadataRedirect = target;
        return this;
    }

    /** The {@code Refresh-After} seconds sent while a report is not ready; null sends none. */
    public ScannerAdapterEmulator refreshAfter(Integer seconds) {
        refreshAfter = seconds;
        return this;
    }

    /** Reports become ready on the poll after {@code n} polls answered 302; -1 (the default) waits for {@link #markReady}. */
    public ScannerAdapterEmulator readyAfterPolls(int n) {
        readyAfterPolls = n;
        return this;
    }

    /**
     * Reports are answered as harbor-scanner-trivy answers for a scan that failed: 500 with the error
     * body {@code {"error":{"message":message}}} as {@link #TRIVY_ERROR}; null switches it off.
     */
    public ScannerAdapterEmulator reportFailure(String message) {
        reportFailure = message;
        return this;
    }

    /**
     * Reports are answered {@code status} with no body, as a proxy or a restarting adapter may
     * (no adapter error message); 0 switches it off.
     */
    public ScannerAdapterEmulator reportStatus(int status) {
        reportStatus = status;
        return this;
    }

    /** Whether a scan request makes the adapter pull the artifact before answering (the default). */
    public ScannerAdapterEmulator pullOnScan(boolean pull) {
        pullOnScan = pull;
        return this;
    }

    /**
     * How pulls present {@code registry.authorization}: {@link RegistryPuller.Mode#CREDENTIAL} (the
     * default) on every request, or {@link RegistryPuller.Mode#TOKEN} as harbor-scanner-trivy's trivy
     * does (an anonymous {@code GET /v2/}, then a token from the challenge's realm), so that a pull
     * succeeds only when the realm is reachable from the adapter.
     */
    public ScannerAdapterEmulator pullMode(RegistryPuller.Mode mode) {
        pullMode = mode;
        return this;
    }

    /** The outcome of pulling the artifact of each scan request, by scan request id. */
    public Map<String, PullOutcome> pulls() {
        return Map.copyOf(pulls);
    }

    /** Makes the report of scan request {@code id} ready. */
    public void markReady(String id) {
        ready.add(id);
    }

    // ---- inspection ----------------------------------------------------------------------------

    /** Every request received, in order. */
    public List<LoggedRequest> requests() {
        return List.copyOf(log);
    }

    /** The scan requests received, in order. */
    public List<ScanRequestRecord> scanRequests() {
        List<ScanRequestRecord> all = new ArrayList<>(scans.values());
        all.sort((a, b) -> Integer.compare(order(a.id()), order(b.id())));
        return all;
    }

    private final Map<String, Integer> arrival = new ConcurrentHashMap<>();
    private final AtomicInteger arrivals = new AtomicInteger();

    private int order(String id) {
        return arrival.getOrDefault(id, 0);
    }

    /**
     * Pulls the artifact of {@code scan} as an adapter does: the manifest and every blob it references
     * from {@code registry.url} with {@code registry.authorization}, following the registry's Bearer
     * token challenge, in the {@link #pullMode}.
     */
    public RegistryPuller.Pulled pull(ScanRequestRecord scan) {
        return new RegistryPuller(URI.create(scan.registryUrl()), scan.authorization(), pullMode).pull(scan.repository(), scan.digest());
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- the API -------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String path = ex.getRequestURI().getPath();
            log.add(new LoggedRequest(ex.getRequestMethod(), path, headers));
            if (!hang.isZero()) {
                try {
                    released.await(hang.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (failStatus != 0) {
                error(ex, failStatus, failMessage);
                return;
            }
            if (!authorized(headers)) {
                error(ex, 401, "invalid credentials");
                return;
            }
            if (path.equals("/api/v1/metadata") && ex.getRequestMethod().equals("GET")) {
                metadata(ex);
            } else if (path.equals("/api/v1/scan") && ex.getRequestMethod().equals("POST")) {
                scan(ex, headers);
            } else if (path.startsWith("/api/v1/scan/") && path.endsWith("/report") && ex.getRequestMethod().equals("GET")) {
                report(ex, path.substring("/api/v1/scan/".length(), path.length() - "/report".length()), headers.getOrDefault("accept", ""));
            } else {
                error(ex, 404, "no such endpoint: " + ex.getRequestMethod() + " " + path);
            }
        }
    }

    private boolean authorized(Map<String, String> headers) {
        return switch (authType) {
            case "" -> true;
            case "Basic" -> headers.getOrDefault("authorization", "")
                .equals("Basic " + Base64.getEncoder().encodeToString(credential.getBytes(StandardCharsets.UTF_8)));
            case "Bearer" -> headers.getOrDefault("authorization", "").equals("Bearer " + credential);
            case "X-ScannerAdapter-API-Key" -> headers.getOrDefault("x-scanneradapter-api-key", "").equals(credential);
            default -> false;
        };
    }

    private void metadata(HttpExchange ex) throws IOException {
        if (metadataRedirect != null) {
            ex.getResponseHeaders().set("Location", metadataRedirect.toString().replaceAll("/+$", "") + "/api/v1/metadata");
            send(ex, 302, null, new byte[0]);
            return;
        }
        List<Map<String, Object>> capabilities = new ArrayList<>();
        Map<String, Object> vulnerability = new LinkedHashMap<>();
        if (!metadataVersion.equals("1.0")) {
            vulnerability.put("type", "vulnerability");
        }
        vulnerability.put("consumes_mime_types", CONSUMES);
        vulnerability.put("produces_mime_types", List.of(VULNERABILITY_REPORT, VULNERABILITY_REPORT_V10));
        capabilities.add(vulnerability);
        if (sbom) {
            capabilities.add(Map.of("type", "sbom", "consumes_mime_types", CONSUMES, "produces_mime_types", List.of(SBOM_REPORT),
                "additional_attributes", Map.of("sbom_media_types", List.of("application/spdx+json"))));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scanner", Map.of("name", scannerName, "vendor", scannerVendor, "version", scannerVersion));
        body.put("capabilities", capabilities);
        body.put("properties", Map.of("harbor.scanner-adapter/scanner-type", "os-package-vulnerability",
            "org.label-schema.version", scannerVersion));
        send(ex, 200, METADATA_TYPE + "; version=" + metadataVersion, JSON.writeValueAsBytes(body));
    }

    private void scan(HttpExchange ex, Map<String, String> headers) throws IOException {
        String contentType = headers.getOrDefault("content-type", "");
        byte[] raw = ex.getRequestBody().readAllBytes();
        if (!contentType.toLowerCase(Locale.ROOT).startsWith(SCAN_REQUEST_TYPE)) {
            error(ex, 400, "unsupported scan request media type " + contentType);
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (RuntimeException e) {
            error(ex, 400, "the scan request is not JSON");
            return;
        }
        JsonNode artifact = body.path("artifact");
        if (artifact.path("repository").asString("").isEmpty() || artifact.path("digest").asString("").isEmpty()) {
            error(ex, 422, "artifact.repository and artifact.digest are required");
            return;
        }
        String id = UUID.randomUUID().toString();
        arrival.put(id, arrivals.incrementAndGet());
        ScanRequestRecord record = new ScanRequestRecord(id, body.path("registry").path("url").asString(""),
            body.path("registry").path("authorization").asString(""), artifact.path("repository").asString(),
            artifact.path("digest").asString(), artifact.path("tag").asString(""), artifact.path("mime_type").asString(""),
            contentType, body);
        if (pullOnScan) {
            try {
                pulls.put(id, new PullOutcome(pull(record), null));
            } catch (RegistryPuller.PullFailed e) {
                pulls.put(id, new PullOutcome(null, e));
            }
        }
        scans.put(id, record);
        send(ex, 202, SCAN_RESPONSE, JSON.writeValueAsBytes(Map.of("id", id)));
    }

    private void report(HttpExchange ex, String id, String accept) throws IOException {
        ScanRequestRecord scan = scans.get(id);
        if (scan == null) {
            error(ex, 404, "unknown scan request " + id);
            return;
        }
        if (reportFailure != null) {
            send(ex, 500, TRIVY_ERROR, JSON.writeValueAsBytes(Map.of("error", Map.of("message", reportFailure))));
            return;
        }
        if (reportStatus != 0) {
            send(ex, reportStatus, null, new byte[0]);
            return;
        }
        PullOutcome pulled = pulls.get(id);
        if (pulled != null && !pulled.succeeded()) {
            error(ex, 500, "pulling the artifact failed: " + pulled.failure().getMessage());
            return;
        }
        int polled = polls.computeIfAbsent(id, k -> new AtomicInteger()).getAndIncrement();
        if (!ready.contains(id) && (readyAfterPolls < 0 || polled < readyAfterPolls)) {
            if (refreshAfter != null) {
                ex.getResponseHeaders().set("Refresh-After", refreshAfter.toString());
            }
            send(ex, 302, null, new byte[0]);
            return;
        }
        String wanted = accept.split(",")[0].trim();
        if (wanted.replace(" ", "").equalsIgnoreCase(SBOM_REPORT.replace(" ", ""))) {
            if (!sbom) {
                error(ex, 400, "this adapter produces no SBOM");
                return;
            }
            Map<String, Object> sbomReport = new LinkedHashMap<>();
            sbomReport.put("generated_at", Instant.EPOCH.toString());
            sbomReport.put("artifact", artifact(scan));
            sbomReport.put("scanner", scannerJson());
            sbomReport.put("media_type", "application/spdx+json");
            sbomReport.put("sbom", Map.of("spdxVersion", "SPDX-2.3", "name", scan.repository()));
            send(ex, 200, SBOM_REPORT, JSON.writeValueAsBytes(sbomReport));
            return;
        }
        String type = wanted.replace(" ", "").equalsIgnoreCase(VULNERABILITY_REPORT_V10.replace(" ", ""))
            ? VULNERABILITY_REPORT_V10 : VULNERABILITY_REPORT;
        List<Map<String, Object>> found = new ArrayList<>();
        for (Vulnerability v : vulnerabilities) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", v.id());
            json.put("package", v.pkg());
            json.put("version", v.version());
            json.put("fix_version", v.fixVersion());
            json.put("severity", v.severity());
            json.put("description", v.id() + " in " + v.pkg());
            json.put("links", List.of("https://avd.example.test/" + v.id()));
            found.add(json);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("generated_at", Instant.EPOCH.toString());
        report.put("artifact", artifact(scan));
        report.put("scanner", scannerJson());
        report.put("severity", worst());
        report.put("vulnerabilities", found);
        send(ex, 200, type, JSON.writeValueAsBytes(report));
    }

    private Map<String, Object> artifact(ScanRequestRecord scan) {
        return Map.of("repository", scan.repository(), "digest", scan.digest(), "tag", scan.tag(), "mime_type", scan.mimeType());
    }

    private Map<String, Object> scannerJson() {
        return Map.of("name", scannerName, "vendor", scannerVendor, "version", scannerVersion);
    }

    private String worst() {
        List<String> order = List.of("Unknown", "Negligible", "Low", "Medium", "High", "Critical");
        return vulnerabilities.stream().map(Vulnerability::severity).max((a, b) -> Integer.compare(order.indexOf(a), order.indexOf(b)))
            .orElse("None");
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        send(ex, status, ERROR, JSON.writeValueAsBytes(Map.of("error", Map.of("message", message))));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
