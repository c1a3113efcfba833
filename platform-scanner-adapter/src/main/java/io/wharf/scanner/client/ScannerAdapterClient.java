package io.wharf.scanner.client;

import io.wharf.scanner.client.ScannerAdapterException.Reason;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One scanner adapter, spoken to by the pluggable scanner adapter API v1 (spec 1.0 to 1.2).
 *
 * <ul>
 *   <li>{@link #metadata()}: {@code GET /api/v1/metadata}, accepting metadata versions 1.1 and 1.0.</li>
 *   <li>{@link #scan}: {@code POST /api/v1/scan} with a scan request of version 1.1; the adapter
 *       answers 202 with the request's {@code id}.</li>
 *   <li>{@link #report}: {@code GET /api/v1/scan/{id}/report}: 200 with the report, 302 with
 *       {@code Refresh-After} while the scan runs, anything else a failure.</li>
 * </ul>
 *
 * Every request carries the registration's credential ({@link AuthType}) and must end within
 * {@link ScannerProperties#requestTimeout()}. Redirects are not followed by the HTTP client: the
 * metadata request follows up to three itself, with the credential only while the origin (scheme,
 * host, port) stays the adapter's. Instances are cheap and thread-safe; nothing is kept between calls.
 */
public final class ScannerAdapterClient {

    public static final String METADATA_V11 = "application/vnd.scanner.adapter.metadata+json; version=1.1";
    public static final String METADATA_V10 = "application/vnd.scanner.adapter.metadata+json; version=1.0";
    public static final String SCAN_REQUEST = "application/vnd.scanner.adapter.scan.request+json; version=1.1";
    public static final String SCAN_RESPONSE = "application/vnd.scanner.adapter.scan.response+json; version=1.0";
    public static final String ERROR = "application/vnd.scanner.adapter.error+json; version=1.0";

    private static final String METADATA_TYPE = "application/vnd.scanner.adapter.metadata+json";
    private static final Set<String> METADATA_VERSIONS = Set.of("1.0", "1.1");
    private static final int MAX_REDIRECTS = 3;
    private static final int MAX_SMALL_BODY = 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final AdapterEndpoint endpoint;
    private final ScannerProperties properties;

    ScannerAdapterClient(HttpClient http, AdapterEndpoint endpoint, ScannerProperties properties) {
        this.http = http;
        this.endpoint = endpoint;
        this.properties = properties;
    }

    /** The adapter this client speaks to. */
    public AdapterEndpoint endpoint() {
        return endpoint;
    }

    /**
     * The adapter's metadata.
     *
     * @throws ScannerAdapterException when the adapter cannot be reached, refuses the credential, answers
     *         an error, or sends metadata of another version or without a scanner name
     */
    public AdapterMetadata metadata() {
        URI uri = api("metadata");
        boolean sameOrigin = true;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request = request(uri, sameOrigin).GET()
                .header("Accept", METADATA_V11 + ", " + METADATA_V10);
            HttpResponse<InputStream> response = send(request.build());
            int status = response.statusCode();
            if (isRedirect(status) && hop < MAX_REDIRECTS) {
                String location = response.headers().firstValue("Location").orElse(null);
                drain(response);
                if (location == null) {
                    throw new ScannerAdapterException(Reason.BAD_RESPONSE, status, "the adapter redirected without a Location");
                }
                uri = uri.resolve(location);
                sameOrigin = sameOrigin && sameOrigin(uri, endpoint.url());
                continue;
            }
            String body = readSmall(response);
            if (status != 200) {
                throw failure(status, body);
            }
            checkMetadataType(response.headers().firstValue("Content-Type").orElse(""));
            return parseMetadata(body);
        }
    }

    /**
     * Asks the adapter to scan an artifact.
     *
     * @return the adapter's id of the scan request, to ask for its report with
     * @throws ScannerAdapterException when the adapter cannot be reached or does not answer 202 with an id
     */
    public String scan(ScanRequest scan) {
        HttpRequest request = request(api("scan"), true)
            .header("Content-Type", SCAN_REQUEST)
            .header("Accept", SCAN_RESPONSE + ", " + ERROR)
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(scanBody(scan))))
            .build();
        HttpResponse<InputStream> response = send(request);
        String body = readSmall(response);
        if (response.statusCode() != 202) {
            throw failure(response.statusCode(), body);
        }
        JsonNode id = parse(body).path("id");
        if (!id.isString() || id.asString().isBlank()) {
            throw new ScannerAdapterException(Reason.BAD_RESPONSE, 202, "the adapter accepted the scan without an id");
        }
        return id.asString();
    }

    /**
     * Asks for the report of scan request {@code id} in {@code mimeType}.
     *
     * @return {@link ScanReport.Ready}, {@link ScanReport.NotReady} or {@link ScanReport.Failed}
     * @throws ScannerAdapterException when the adapter cannot be reached, times out, or sends a report
     *         larger than {@link ScannerProperties#maxReportSize()}
     */
    public ScanReport report(String id, String mimeType) {
        URI uri = api("scan/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20") + "/report");
        HttpRequest request = request(uri, true).GET().header("Accept", mimeType + ", " + ERROR).build();
        HttpResponse<InputStream> response = send(request);
        int status = response.statusCode();
        if (status == 302) {
            drain(response);
            return new ScanReport.NotReady(refreshAfter(response.headers().firstValue("Refresh-After").orElse(null)));
        }
        if (status == 200) {
            String type = response.headers().firstValue("Content-Type").orElse(mimeType);
            return new ScanReport.Ready(type, read(response, properties.maxReportSize().toBytes()));
        }
        String body = readSmall(response);
        String adapterMessage = adapterMessage(body);
        return adapterMessage != null ? new ScanReport.Failed(status, adapterMessage, true)
            : new ScanReport.Failed(status, errorMessage(status, body), false);
    }

    private Duration refreshAfter(@Nullable String header) {
        if (header != null) {
            try {
                long seconds = Long.parseLong(header.trim());
                if (seconds >= 0) {
                    return Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                // not a number of seconds: the default applies
            }
        }
        return properties.defaultRefreshAfter();
    }

    private HttpRequest.Builder request(URI uri, boolean withCredential) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(properties.requestTimeout());
        if (withCredential && endpoint.credential() != null && !endpoint.credential().isEmpty()) {
            endpoint.auth().header(endpoint.credential()).forEach(builder::header);
        }
        return builder;
    }

    private HttpResponse<InputStream> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ScannerAdapterException(Reason.TIMEOUT, 0, "the scanner adapter at " + endpoint.url()
                + " did not answer within " + properties.requestTimeout().toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScannerAdapterException(Reason.UNREACHABLE, 0, "interrupted while calling the scanner adapter", e);
        } catch (IOException e) {
            throw new ScannerAdapterException(Reason.UNREACHABLE, 0, "cannot reach the scanner adapter at "
                + endpoint.url() + ": " + describe(e), e);
        }
    }

    private ScannerAdapterException failure(int status, String body) {
        String message = errorMessage(status, body);
        Reason reason = status == 401 || status == 403 ? Reason.UNAUTHORIZED
            : isRedirect(status) || status < 400 ? Reason.BAD_RESPONSE : Reason.ERROR;
        return new ScannerAdapterException(reason, status, "the scanner adapter at " + endpoint.url() + " answered "
            + status + (message.equals("HTTP " + status) ? "" : ": " + message));
    }

    /** The message of the spec's error body {@code {"error":{"message"}}}, else a short plain-text body. */
    private static String errorMessage(int status, String body) {
        String message = adapterMessage(body);
        if (message != null) {
            return message;
        }
        String text = body.strip();
        return text.isEmpty() || text.length() > 200 || text.startsWith("<") ? "HTTP " + status : text;
    }

    /** The message of the spec's error body {@code {"error":{"message"}}}; null for any other body. */
    private static @Nullable String adapterMessage(String body) {
        try {
            JsonNode message = JSON.readTree(body).path("error").path("message");
            if (message.isString() && !message.asString().isBlank()) {
                return message.asString();
            }
        } catch (JacksonException e) {
            // not JSON: a proxy's or server's own page
        }
        return null;
    }

    private void checkMetadataType(String contentType) {
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase(METADATA_TYPE)) {
            return; // plain application/json from lenient adapters is read as 1.0/1.1
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("version")
                && !METADATA_VERSIONS.contains(kv[1].trim().replace("\"", ""))) {
                throw new ScannerAdapterException(Reason.BAD_RESPONSE, 200, "the scanner adapter at " + endpoint.url()
                    + " sent metadata " + contentType.trim() + "; Wharf reads versions 1.0 and 1.1");
            }
        }
    }

    private AdapterMetadata parseMetadata(String body) {
        JsonNode json = parse(body);
        JsonNode scanner = json.path("scanner");
        String name = text(scanner.path("name"));
        if (name.isEmpty()) {
            throw new ScannerAdapterException(Reason.BAD_RESPONSE, 200, "the scanner adapter at " + endpoint.url()
                + " sent metadata without scanner.name");
        }
        List<AdapterMetadata.Capability> capabilities = new ArrayList<>();
        for (JsonNode capability : json.path("capabilities")) {
            String type = text(capability.path("type"));
            capabilities.add(new AdapterMetadata.Capability(type.isEmpty() ? null : type,
                strings(capability.path("consumes_mime_types")), strings(capability.path("produces_mime_types"))));
        }
        Map<String, String> properties = new LinkedHashMap<>();
        json.path("properties").properties().forEach(e -> properties.put(e.getKey(), text(e.getValue())));
        return new AdapterMetadata(new AdapterMetadata.Scanner(name, text(scanner.path("vendor")),
            text(scanner.path("version"))), capabilities, properties);
    }

    private static ObjectNode scanBody(ScanRequest scan) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("registry").put("url", scan.registryUrl()).put("authorization", scan.registryAuthorization());
        ObjectNode artifact = body.putObject("artifact").put("repository", scan.repository()).put("digest", scan.digest())
            .put("mime_type", scan.mimeType());
        if (scan.tag() != null) {
            artifact.put("tag", scan.tag());
        }
        if (!scan.enabledCapabilities().isEmpty()) {
            ArrayNode enabled = body.putArray("enabled_capabilities");
            for (ScanRequest.EnabledCapability capability : scan.enabledCapabilities()) {
                ObjectNode node = enabled.addObject().put("type", capability.type());
                capability.producesMimeTypes().forEach(node.putArray("produces_mime_types")::add);
                if (!capability.parameters().isEmpty()) {
                    node.set("parameters", JSON.valueToTree(capability.parameters()));
                }
            }
        }
        return body;
    }

    private JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw new ScannerAdapterException(Reason.BAD_RESPONSE, 0, "the scanner adapter at " + endpoint.url()
                + " sent a body that is not JSON", e);
        }
    }

    private static String text(JsonNode node) {
        return node.isValueNode() ? node.asString() : "";
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> {
            if (v.isString()) {
                values.add(v.asString());
            }
        });
        return values;
    }

    private String readSmall(HttpResponse<InputStream> response) {
        return read(response, MAX_SMALL_BODY);
    }

    private String read(HttpResponse<InputStream> response, long limit) {
        try (InputStream in = response.body()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) != -1; ) {
                total += n;
                if (total > limit) {
                    throw new ScannerAdapterException(Reason.BAD_RESPONSE, response.statusCode(), "the scanner adapter at "
                        + endpoint.url() + " sent more than " + limit + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (HttpTimeoutException | InterruptedIOException e) {
            throw new ScannerAdapterException(Reason.TIMEOUT, response.statusCode(), "the scanner adapter at "
                + endpoint.url() + " did not finish its answer in time", e);
        } catch (IOException e) {
            throw new ScannerAdapterException(Reason.UNREACHABLE, response.statusCode(), "reading from the scanner adapter at "
                + endpoint.url() + " failed: " + describe(e), e);
        }
    }

    private static void drain(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.transferTo(OutputStreamSink.INSTANCE);
        } catch (IOException e) {
            // the body of a redirect or 302 does not matter
        }
    }

    private URI api(String path) {
        String base = endpoint.url().toString().replaceAll("/+$", "");
        return URI.create(base + "/api/v1/" + path);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Whether {@code a} and {@code b} have the same scheme, host and port. */
    static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(lower(a.getScheme()), lower(b.getScheme())) && Objects.equals(lower(a.getHost()), lower(b.getHost()))
            && port(a) == port(b);
    }

    private static @Nullable String lower(@Nullable String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Discards bytes. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
