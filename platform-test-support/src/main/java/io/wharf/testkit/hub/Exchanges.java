package io.wharf.testkit.hub;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small response and request helpers shared by the emulated hosts. */
final class Exchanges {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String LOG_ATTRIBUTE = "wharf.hub.logged";

    private Exchanges() {
    }

    /** Sends {@code body} (nothing on HEAD, but the same {@code Content-Length}). */
    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        status(ex, status);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            ex.sendResponseHeaders(status, -1);
        } else if (body.length == 0) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    /** Sends no body. */
    static void empty(HttpExchange ex, int status) throws IOException {
        send(ex, status, null, new byte[0]);
    }

    static void json(HttpExchange ex, int status, Object document) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(document));
    }

    /** An OCI error body: {@code {"errors":[{"code","message"}]}}. */
    static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        json(ex, status, Map.of("errors", List.of(Map.of("code", code, "message", message))));
    }

    /** Records the status in the request log entry, before the response goes out. */
    static void status(HttpExchange ex, int status) {
        Object logged = ex.getAttribute(LOG_ATTRIBUTE);
        if (logged instanceof LoggedRequest request) {
            request.status(status);
        }
    }

    /** The decoded query parameters, in order. */
    static Map<String, List<String>> query(HttpExchange ex) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /** The first value of a query parameter, or {@code otherwise}. */
    static String param(Map<String, List<String>> query, String name, String otherwise) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? otherwise : values.get(0);
    }

    static int intParam(Map<String, List<String>> query, String name, int otherwise) {
        try {
            return Integer.parseInt(param(query, name, Integer.toString(otherwise)));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    static byte[] body(HttpExchange ex) throws IOException {
        return ex.getRequestBody().readAllBytes();
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
