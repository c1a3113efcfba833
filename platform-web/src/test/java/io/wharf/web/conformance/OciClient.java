package io.wharf.web.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP client that behaves like the one the official suite uses (reggie on resty on Go net/http),
 * where that behaviour is visible to a registry:
 * <ul>
 *   <li>paths are templates with {@code <name>}, {@code <reference>} and {@code <digest>};</li>
 *   <li>query parameters are appended (sorted by key, Go query-escaped) to any query the path already has,
 *       so state a registry keeps in its {@code Location} query survives;</li>
 *   <li>redirects are followed; no {@code Accept} header unless a test sets one; no compression;</li>
 *   <li>{@code Content-Length} comes from the body (an explicitly set value is ignored, as in Go),
 *       and GET/HEAD never carry a body;</li>
 *   <li>a 401 with a {@code WWW-Authenticate} challenge is retried once with Basic credentials or a
 *       Bearer token fetched from the challenge's realm.</li>
 * </ul>
 */
final class OciClient {

    static final String USER_AGENT = "distribution-spec-conformance-tests";

    /** Numbers the exchanges in the test output, so their order can be followed across test reports. */
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.ALWAYS)
        .connectTimeout(Duration.ofSeconds(30))
        .build();
    private final String root;
    private final String defaultName;
    private final String username;
    private final String password;
    private final String authScope;
    private final boolean debug;

    OciClient(String root, String defaultName, String username, String password, String authScope, boolean debug) {
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.defaultName = defaultName;
        this.username = username == null ? "" : username;
        this.password = password == null ? "" : password;
        this.authScope = authScope == null ? "" : authScope;
        this.debug = debug;
    }

    String defaultName() {
        return defaultName;
    }

    Request request(String method, String path) {
        return new Request(method, path);
    }

    /** A request being built; {@link #send()} executes it. */
    final class Request {
        private final String method;
        private final String pathTemplate;
        private String name;
        private String reference;
        private String digest;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, List<String>> query = new TreeMap<>();
        private byte[] body;

        private Request(String method, String pathTemplate) {
            this.method = method;
            this.pathTemplate = pathTemplate;
        }

        Request name(String value) {
            this.name = value;
            return this;
        }

        Request reference(String value) {
            this.reference = value;
            return this;
        }

        Request digest(String value) {
            this.digest = value;
            return this;
        }

        Request header(String header, String value) {
            headers.put(header, value);
            return this;
        }

        Request query(String param, String value) {
            query.put(param, new ArrayList<>(List.of(value)));
            return this;
        }

        Request body(byte[] content) {
            this.body = content;
            return this;
        }

        String url() {
            String path = pathTemplate;
            String namespace = name != null && !name.isEmpty() ? name : defaultName;
            path = replaceIfSet(path, "<name>", namespace);
            path = replaceIfSet(path, "<reference>", reference);
            path = replaceIfSet(path, "<digest>", digest);
            while (path.startsWith("/")) {
                path = path.substring(1);
            }
            String url = root + "/" + path;
            if (!query.isEmpty()) {
                StringBuilder encoded = new StringBuilder();
                query.forEach((key, values) -> values.forEach(value -> {
                    if (!encoded.isEmpty()) {
                        encoded.append('&');
                    }
                    encoded.append(queryEscape(key)).append('=').append(queryEscape(value));
                }));
                int hash = url.indexOf('#');
                if (hash >= 0) {
                    url = url.substring(0, hash);
                }
                int question = url.indexOf('?');
                boolean hasQuery = question >= 0 && question < url.length() - 1;
                url = hasQuery ? url + "&" + encoded : (question >= 0 ? url : url + "?") + encoded;
            }
            return url;
        }

        OciResponse send() {
            String url = url();
            OciResponse response = execute(url, null);
            if (response.status() == 401) {
                String challenge = response.header("WWW-Authenticate");
                if (!challenge.isEmpty()) {
                    String authorization = authorize(challenge);
                    if (authorization != null) {
                        response = execute(url, authorization);
                    }
                }
            }
            int sequence = SEQUENCE.incrementAndGet();
            System.out.println("[oci " + sequence + "] " + method + " " + url + " -> " + response.status());
            if (debug) {
                System.out.println(response.describe());
            }
            transcribe("#" + sequence + " " + response.describe());
            return response;
        }

        private OciResponse execute(String url, String authorization) {
            boolean sendsBody = body != null && !method.equals("GET") && !method.equals("HEAD");
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(120))
                .method(method, sendsBody ? HttpRequest.BodyPublishers.ofByteArray(body) : HttpRequest.BodyPublishers.noBody())
                .header("User-Agent", USER_AGENT);
            headers.forEach((header, value) -> {
                if (!header.equalsIgnoreCase("Content-Length")) {
                    builder.setHeader(header, value);
                }
            });
            if (authorization != null) {
                builder.setHeader("Authorization", authorization);
            }
            StringBuilder sent = new StringBuilder();
            sent.append(method).append(' ').append(url).append('\n');
            headers.forEach((header, value) -> {
                if (!header.equalsIgnoreCase("Content-Length")) {
                    sent.append("  ").append(header).append(": ").append(value).append('\n');
                }
            });
            if (sendsBody || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
                // what goes on the wire, whatever value the test set (Go ignores it as well)
                sent.append("  Content-Length: ").append(sendsBody ? body.length : 0).append('\n');
            }
            if (sendsBody) {
                sent.append("  (body, ").append(body.length).append(" bytes)").append('\n').append(preview(body));
            }
            try {
                HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
                byte[] responseBody = response.body() == null ? new byte[0] : response.body();
                return new OciResponse(response.statusCode(), response.headers(), responseBody, sent.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(sent + "failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private String authorize(String challenge) {
            String lower = challenge.toLowerCase(Locale.ROOT);
            if (lower.startsWith("basic")) {
                return basic();
            }
            if (!lower.startsWith("bearer")) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            Matcher m = Pattern.compile("([a-zA-Z]+)=\"(.+?)\"").matcher(challenge);
            while (m.find()) {
                params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
            }
            String realm = params.get("realm");
            if (realm == null) {
                return null;
            }
            StringBuilder tokenUrl = new StringBuilder(realm);
            char separator = realm.contains("?") ? '&' : '?';
            if (params.containsKey("service")) {
                tokenUrl.append(separator).append("service=").append(queryEscape(params.get("service")));
                separator = '&';
            }
            String scope = !authScope.isEmpty() ? authScope : params.get("scope");
            if (scope != null && !scope.isEmpty()) {
                tokenUrl.append(separator).append("scope=").append(queryEscape(scope));
            }
            HttpRequest.Builder tokenRequest = HttpRequest.newBuilder(URI.create(tokenUrl.toString()))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT)
                .GET();
            if (!username.isEmpty() || !password.isEmpty()) {
                tokenRequest.header("Authorization", basic());
            }
            try {
                HttpResponse<byte[]> response = http.send(tokenRequest.build(), HttpResponse.BodyHandlers.ofByteArray());
                Json token = Json.parse(response.body());
                String value = token.get("token").asString("");
                if (value.isEmpty()) {
                    value = token.get("access_token").asString("");
                }
                return "Bearer " + value;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private String basic() {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Appends an exchange to {@code target/oci-conformance-transcript.log} (relative to the module, where
     * Maven runs tests), which the run starts afresh; does nothing when there is no {@code target}.
     */
    private static synchronized void transcribe(String exchange) {
        Path target = Path.of("target");
        if (!Files.isDirectory(target)) {
            return;
        }
        try {
            Files.writeString(target.resolve("oci-conformance-transcript.log"), exchange + "\n\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, transcriptStarted ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
            transcriptStarted = true;
        } catch (IOException e) {
            // the transcript is a convenience; the assertion messages carry the exchanges anyway
        }
    }

    private static boolean transcriptStarted;

    private static String replaceIfSet(String path, String placeholder, String value) {
        return value == null || value.isEmpty() ? path : path.replace(placeholder, value);
    }

    /** Go's {@code url.QueryEscape}. */
    static String queryEscape(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** The body as indented text lines (at most 2 KiB), a note for binary content, or nothing when empty. */
    static String preview(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, 2048), StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == '\uFFFD') {
                return "  | (binary)\n";
            }
        }
        return "  | " + text.strip().replace("\n", "\n  | ") + (body.length > 2048 ? " ..." : "") + "\n";
    }

    /** A registry's answer, with the request that produced it for failure messages. */
    record OciResponse(int status, HttpHeaders headers, byte[] body, String request) {

        /** The first value of {@code name}, or the empty string (Go's {@code Header.Get}). */
        String header(String name) {
            return headers.firstValue(name).orElse("");
        }

        /** Path and query of the {@code Location} header; the host is ignored, as in reggie. */
        String relativeLocation() {
            String location = header("Location");
            try {
                URI uri = new URI(location);
                String path = uri.getRawPath() == null ? "" : uri.getRawPath();
                if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
                    path += "?" + uri.getRawQuery();
                }
                return path;
            } catch (URISyntaxException e) {
                return "";
            }
        }

        /** The {@code Location} header as sent, or empty when it does not parse as a URL. */
        String absoluteLocation() {
            String location = header("Location");
            try {
                new URI(location);
                return location;
            } catch (URISyntaxException e) {
                return "";
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8).strip();
        }

        String describe() {
            StringBuilder s = new StringBuilder(request);
            s.append("-> ").append(status).append('\n');
            headers.map().forEach((header, values) -> values.forEach(
                value -> s.append("  ").append(header).append(": ").append(value).append('\n')));
            if (body.length > 0) {
                s.append("  (body, ").append(body.length).append(" bytes)\n").append(preview(body));
            }
            return s.toString();
        }
    }
}
