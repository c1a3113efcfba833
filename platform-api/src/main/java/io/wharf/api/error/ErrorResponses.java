package io.wharf.api.error;

import io.wharf.core.error.ErrorCode;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

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
    public static void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code,
                             int status, @Nullable Object detail, HttpHeaders headers) throws java.io.IOException {
        write(response, response(request, code, status, detail, headers));
    }

    /** Writes {@code entity} (status, headers, body) straight to the servlet response. */
    public static void write(HttpServletResponse response, ResponseEntity<byte[]> entity) throws java.io.IOException {
        response.setStatus(entity.getStatusCode().value());
        entity.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        byte[] body = entity.getBody() == null ? new byte[0] : entity.getBody();
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * The JSON answer of the {@code /error} page for a request the container forwarded there (after
     * {@code sendError} or an exception that escaped the handlers): the format the original request's
     * path asks for, with the original status; 5xx never with details. Requested directly, not
     * forwarded, {@code /error} is a 404. The exception, if any, was already logged by the container;
     * this logs nothing above debug.
     */
    public static ResponseEntity<byte[]> forwarded(HttpServletRequest request) {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        String uri = attribute(request, RequestDispatcher.ERROR_REQUEST_URI);
        if (!(statusAttribute instanceof Integer status) || uri == null) {
            return response(request, codeFor(404), 404, "no such resource: " + request.getRequestURI(), new HttpHeaders());
        }
        int code = status < 400 ? 500 : status;
        String message = attribute(request, RequestDispatcher.ERROR_MESSAGE);
        log.debug("{} {}: {} {}", request.getMethod(), uri, code, message);
        String detail = code >= 500 ? "internal error" : message == null || message.isBlank() ? null : message;
        return ResponseEntity.status(code).contentType(MediaType.APPLICATION_JSON)
            .body(body(isHarborPath(uri, request.getContextPath()), codeFor(code), code, detail));
    }

    private static @Nullable String attribute(HttpServletRequest request, String name) {
        return request.getAttribute(name) instanceof String value ? value : null;
    }

    private static String harborCode(ErrorCode code, int status) {
        return switch (code) {
            case UNAUTHORIZED -> "UNAUTHORIZED";
            case DENIED, QUOTA_EXCEEDED -> "FORBIDDEN";
            case NOT_FOUND, NAME_UNKNOWN, MANIFEST_UNKNOWN, BLOB_UNKNOWN -> "NOT_FOUND";
            case CONFLICT -> "CONFLICT";
            case PRECONDITION -> "PRECONDITION";
            case PROJECTPOLICYVIOLATION -> "PROJECTPOLICYVIOLATION";
            // Harbor's code for deleting what an index (or another row) still references
            case REFERENCED -> "VIOLATE_FOREIGN_KEY_CONSTRAINT";
            case UNSUPPORTED -> "METHOD_NOT_ALLOWED";
            case UNKNOWN -> "INTERNAL_SERVER_ERROR";
            default -> status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST";
        };
    }
}
