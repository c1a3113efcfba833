package io.wharf.api.error;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.ClientAbortException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Maps every exception that leaves a controller to the protocol's error format ({@link ErrorResponses}):
 * the OCI error body on {@code /v2}, Harbor's on {@code /api}. Client mistakes are logged at debug without a stack trace;
 * anything unexpected becomes 500 {@code UNKNOWN} and is logged once, here.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(PlatformException.class)
    ResponseEntity<byte[]> platform(PlatformException e, HttpServletRequest request) {
        log.debug("{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        HttpHeaders headers = new HttpHeaders();
        if (e.code() == ErrorCode.UNAUTHORIZED && !request.getRequestURI().startsWith(request.getContextPath() + "/_wharf/")) {
            // a use case found the caller anonymous where it must log in: /api and the token endpoint take Basic
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"wharf\"");
        }
        if (e.clientMessage() != null && !ErrorResponses.isHarborPath(request.getRequestURI(), request.getContextPath())) {
            return ResponseEntity.status(e.status()).headers(headers).contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(OciErrors.body(e.code(), e.clientMessage(), e.detail()));
        }
        return ErrorResponses.response(request, e.code(), e.status(), e.detail(), headers);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<byte[]> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        if (e.getSupportedHttpMethods() != null) {
            headers.setAllow(e.getSupportedHttpMethods());
        }
        return ErrorResponses.response(request, ErrorCode.UNSUPPORTED, 405, "method " + e.getMethod() + " is not supported here", headers);
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MissingRequestHeaderException.class,
        MethodArgumentTypeMismatchException.class, HttpMediaTypeNotSupportedException.class,
        HttpMessageNotReadableException.class, MethodArgumentNotValidException.class, InvalidParameterException.class})
    ResponseEntity<byte[]> badRequest(Exception e, HttpServletRequest request) {
        return ErrorResponses.response(request, ErrorCode.INVALID_ARGUMENT, 400, e.getMessage(), new HttpHeaders());
    }

    @ExceptionHandler(org.springframework.web.servlet.NoHandlerFoundException.class)
    ResponseEntity<byte[]> noHandler(org.springframework.web.servlet.NoHandlerFoundException e, HttpServletRequest request) {
        return ErrorResponses.response(request, ErrorCode.NOT_FOUND, 404, "no such resource: " + e.getRequestURL(), new HttpHeaders());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<byte[]> notFound(NoResourceFoundException e, HttpServletRequest request) {
        return ErrorResponses.response(request, ErrorCode.NOT_FOUND, 404, "no such resource: /" + e.getResourcePath(), new HttpHeaders());
    }

    @ExceptionHandler(ClientAbortException.class)
    void clientAbort(ClientAbortException e, HttpServletRequest request) {
        log.debug("{} {}: client went away: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> unknown(Exception e, HttpServletRequest request, HttpServletResponse response) throws Exception {
        if (response.isCommitted()) {
            // part of a body (a blob) is sent already: an error body would be taken for its last bytes, so
            // the exception goes on to the container, which drops the connection and the client sees a cut response
            log.warn("{} {} failed after the response was committed: {}", request.getMethod(), request.getRequestURI(), e.toString());
            throw e;
        }
        log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        return ErrorResponses.response(request, ErrorCode.UNKNOWN, 500, "internal error", new HttpHeaders());
    }
}
