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
 * ({@code /v2}, {@code /service/token}, unknown paths). The one place that turns an {@link ErrorCode}
 * into a body: the exception handler, the {@code /error} fallback and the container's error report
 * valve all write through it.
 */
public final class ErrorResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ErrorResponses() {
    }

    /** An error response for {@code request}, in the format its path asks for, with the given status and extra headers. */
    public static ResponseEntity<byte[]> response(HttpServletRequest request, ErrorCode code, int status,
                                                  @Nullable Object detail, HttpHeaders headers) {
        boolean harbor = isHarborPath(request.getRequestURI(), request.getContextPath());
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON)
            .body(body(harbor, code, status, detail));
    }

    /**
     * Whether errors for the (undecoded) request URI are written in Harbor's format: it is under
     * {@code <contextPath>/api/}. Null or unparsable URIs (a request line Tomcat could not read) get
     * the OCI format.
     */
    public static boolean isHarborPath(@Nullable String requestUri, @Nullable String contextPath) {
        return requestUri != null && requestUri.startsWith((contextPath == null ? "" : contextPath) + "/api/");
    }

    /**
     * The JSON error body: Harbor's when {@code harbor}, else the OCI one. {@code detail} is the
     * message (Harbor) or the {@code detail} member (OCI); null means none.
     */
    public static byte[] body(boolean harbor, ErrorCode code, int status, @Nullable Object detail) {
        if (!harbor) {
            return OciErrors.body(code, detail);
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", harborCode(code, status));
        error.put("message", detail == null ? code.message() : String.valueOf(detail));
        return JSON.writeValueAsBytes(Map.of("errors", List.of(error)));
    }

    /**
     * The code for an error known only by its HTTP status (one the container or a filter produced
     * with {@code sendError}): the code whose usual status it is, {@link ErrorCode#INVALID_ARGUMENT}
     * for any other 4xx and {@link ErrorCode#UNKNOWN} for 5xx.
     */
    public static ErrorCode codeFor(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.DENIED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405, 501, 505 -> ErrorCode.UNSUPPORTED;
            case 409 -> ErrorCode.CONFLICT;
            case 412 -> ErrorCode.PRECONDITION;
            case 413 -> ErrorCode.SIZE_INVALID;
            case 416 -> ErrorCode.RANGE_INVALID;
            case 429 -> ErrorCode.TOOMANYREQUESTS;
            default -> status >= 500 ? ErrorCode.UNKNOWN : ErrorCode.INVALID_ARGUMENT;
        };
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
