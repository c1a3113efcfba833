package io.wharf.api.error;

import io.wharf.core.error.ErrorCode;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one writer of OCI error bodies: {@code {"errors":[{"code","message","detail"}]}} with the
 * spec's code and message. Used by {@link ApiExceptionHandler} and by the few responses the spec
 * shapes itself (416 with {@code Content-Range}).
 */
public final class OciErrors {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OciErrors() {
    }

    /** An error response with {@code code}'s body and the given status and extra headers. */
    public static ResponseEntity<byte[]> response(ErrorCode code, int status, @Nullable Object detail, HttpHeaders headers) {
        return ResponseEntity.status(status)
            .headers(headers)
            .contentType(MediaType.APPLICATION_JSON)
            .body(body(code, detail));
    }

    /**
     * The JSON body for {@code code}. A refusal by the project's quota is the spec's {@code DENIED} with
     * the quota's explanation as its message (clients print the message, not the detail), as Harbor does.
     */
    public static byte[] body(ErrorCode code, @Nullable Object detail) {
        return body(code, null, detail);
    }

    /** The JSON body for {@code code} with {@code message} instead of the code's own message when not null. */
    public static byte[] body(ErrorCode code, @Nullable String message, @Nullable Object detail) {
        Map<String, Object> error = new LinkedHashMap<>();
        // a refused push over quota is the spec's DENIED, with the quota named in the message clients print
        boolean quota = code == ErrorCode.QUOTA_EXCEEDED;
        error.put("code", quota ? ErrorCode.DENIED.name() : code.name());
        error.put("message", message != null ? message : quota && detail != null ? String.valueOf(detail) : code.message());
        error.put("detail", detail == null ? Map.of() : detail);
        return JSON.writeValueAsBytes(Map.of("errors", List.of(error)));
    }
}
