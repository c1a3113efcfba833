package io.wharf.replication.upstream;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An error response body, read leniently: OCI error JSON ({@code {"errors":[{"code","message"}]}}),
 * the token server's and the Hub API's {@code details}/{@code message}, or any text (HTML, Docker
 * Hub's plain {@code Too Many Requests (HAP429).}). Parsing never fails.
 *
 * @param code    the first OCI error code, or null
 * @param message the first error message, or the text itself, shortened
 */
record ErrorBody(@Nullable String code, String message) {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static ErrorBody parse(String body) {
        String text = body.strip();
        if (text.startsWith("{")) {
            try {
                JsonNode root = JSON.readTree(text);
                JsonNode first = root.path("errors").path(0);
                if (first.isObject()) {
                    String code = first.path("code").asString(null);
                    return new ErrorBody(code, first.path("message").asString(code == null ? "" : code));
                }
                for (String field : new String[] {"details", "message", "detail", "error"}) {
                    if (root.path(field).isString()) {
                        return new ErrorBody(null, root.path(field).asString());
                    }
                }
            } catch (JacksonException e) {
                // not JSON after all: fall through to the text
            }
        }
        String oneLine = text.replaceAll("\\s+", " ");
        return new ErrorBody(null, oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine);
    }

    /** The message with the code in front, for exception messages. */
    String describe() {
        if (code == null) {
            return message.isEmpty() ? "no details" : message;
        }
        return code + (message.isEmpty() || message.equals(code) ? "" : ": " + message);
    }
}
