package io.wharf.api.error;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's {@code BasicErrorController} (and so its Whitelabel HTML page) at
 * {@code /error}, where the container forwards what a filter or servlet ended with
 * {@code sendError} or an exception that escaped the {@link ApiExceptionHandler}. Answers in the
 * protocol's JSON format, chosen by the original request's path, with the original status.
 * The exception, if any, was already logged by the container; this logs nothing above debug.
 */
@RestController
class ErrorFallbackController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ErrorFallbackController.class);

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<byte[]> error(HttpServletRequest request) {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        String uri = attribute(request, RequestDispatcher.ERROR_REQUEST_URI);
        if (!(statusAttribute instanceof Integer status) || uri == null) {
            // requested directly, not forwarded by the container
            return ErrorResponses.response(request, ErrorResponses.codeFor(404), 404,
                "no such resource: " + request.getRequestURI(), new HttpHeaders());
        }
        int code = status < 400 ? 500 : status;
        String message = attribute(request, RequestDispatcher.ERROR_MESSAGE);
        log.debug("{} {}: {} {}", request.getMethod(), uri, code, message);
        String detail = code >= 500 ? "internal error" : message == null || message.isBlank() ? null : message;
        return ResponseEntity.status(code).contentType(MediaType.APPLICATION_JSON)
            .body(ErrorResponses.body(ErrorResponses.isHarborPath(uri, request.getContextPath()),
                ErrorResponses.codeFor(code), code, detail));
    }

    private static @Nullable String attribute(HttpServletRequest request, String name) {
        return request.getAttribute(name) instanceof String value ? value : null;
    }
}
