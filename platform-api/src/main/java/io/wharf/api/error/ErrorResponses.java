package io.wharf.api.error;

import io.wharf.core.error.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the error format by protocol: Harbor's {@code {"errors":[{"code","message"}]}} on
 * {@code /api}, with Harbor's code names, and the OCI body ({@link OciErrors}) everywhere else
 * ({@code /v2}, {@code /service/token}).
 */
public final class ErrorResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ErrorResponses() {
    }

    public static ResponseEntity<byte[]> response(HttpServletRequest request, ErrorCode code, int status,
                                                  @Nullable Object detail, HttpHeaders headers) {
        if (!request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
            return OciErrors.response(code, status, detail, headers);
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", harborCode(code, status));
        error.put("message", detail == null ? code.message() : String.valueOf(detail));
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON)
            .body(JSON.writeValueAsBytes(Map.of("errors", List.of(error))));
    }

    /**
     * Writes the error straight to the servlet response, for the security filters that answer before
     * any controller runs; same body and status as {@link #response}.
     */
    public static void write(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response, ErrorCode code,
                             int status, @Nullable Object detail, HttpHeaders headers) throws java.io.IOException {
        ResponseEntity<byte[]> entity = response(request, code, status, detail, headers);
        response.setStatus(status);
        entity.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        byte[] body = entity.getBody() == null ? new byte[0] : entity.getBody();
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static String harborCode(ErrorCode code, int status) {
        return switch (code) {
            case UNAUTHORIZED -> "UNAUTHORIZED";
            case DENIED -> "FORBIDDEN";
            case NOT_FOUND, NAME_UNKNOWN, MANIFEST_UNKNOWN, BLOB_UNKNOWN -> "NOT_FOUND";
            case CONFLICT -> "CONFLICT";
            case PRECONDITION -> "PRECONDITION";
            case UNSUPPORTED -> "METHOD_NOT_ALLOWED";
            case UNKNOWN -> "INTERNAL_SERVER_ERROR";
            default -> status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST";
        };
    }
}
