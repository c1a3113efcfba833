package io.wharf.testkit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A registry's answer, read whole, with a description of the request that produced it for failure messages.
 *
 * @param method  the request method
 * @param uri     the request URI (after redirects, when the client follows them)
 * @param status  the status code
 * @param headers the response headers
 * @param body    the response body, empty when there is none
 * @param request the request as sent (method, URL, headers, a body preview), for messages
 */
public record Response(String method, URI uri, int status, HttpHeaders headers, byte[] body, String request) {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The status code (the name {@link java.net.http.HttpResponse} uses). */
    public int statusCode() {
        return status;
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body parsed as JSON (Jackson, lenient). */
    public JsonNode json() {
        return JSON.readTree(body);
    }

    /** The body parsed strictly (one complete document, as Go's {@code json.Unmarshal}); throws on anything else. */
    public StrictJson strictJson() {
        return StrictJson.parse(body);
    }

    /** The first value of the header {@code name}, if present. */
    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** The first value of the header {@code name}, or the empty string (Go's {@code Header.Get}). */
    public String headerValue(String name) {
        return headers.firstValue(name).orElse("");
    }

    /** The {@code WWW-Authenticate} challenge, or null. */
    public String challenge() {
        return headers.firstValue("WWW-Authenticate").orElse(null);
    }

    /** The first error code of an OCI or Harbor error body ({@code errors[0].code}). */
    public String errorCode() {
        return json().path("errors").path(0).path("code").asString();
    }

    /** Path and query of the {@code Location} header; the host is ignored, as in the conformance suite. */
    public String relativeLocation() {
        try {
            URI location = new URI(headerValue("Location"));
            String path = location.getRawPath() == null ? "" : location.getRawPath();
            return location.getRawQuery() == null || location.getRawQuery().isEmpty() ? path : path + "?" + location.getRawQuery();
        } catch (URISyntaxException e) {
            return "";
        }
    }

    /** The {@code Location} header as sent, or empty when it does not parse as a URL. */
    public String absoluteLocation() {
        String location = headerValue("Location");
        try {
            new URI(location);
            return location;
        } catch (URISyntaxException e) {
            return "";
        }
    }

    /** Fails with the whole exchange unless the status is {@code expected}; returns this response. */
    public Response expect(int expected) {
        if (status != expected) {
            throw new AssertionError("expected " + expected + ": " + this);
        }
        return this;
    }

    /** The request, status, headers and a body preview, one header a line. */
    public String describe() {
        StringBuilder s = new StringBuilder(request);
        s.append("-> ").append(status).append('\n');
        headers.map().forEach((header, values) -> values.forEach(
            value -> s.append("  ").append(header).append(": ").append(value).append('\n')));
        if (body.length > 0) {
            s.append("  (body, ").append(body.length).append(" bytes)\n").append(preview(body));
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return method + " " + uri + " -> " + status + " " + headers.map() + " " + text();
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
}
