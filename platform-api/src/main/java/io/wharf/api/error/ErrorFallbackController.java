package io.wharf.api.error;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's {@code BasicErrorController} (and so its Whitelabel HTML page) at
 * {@code /error}, where the container forwards what a filter or servlet ended with
 * {@code sendError} or an exception that escaped the {@link ApiExceptionHandler}. Answers in the
 * protocol's JSON format, chosen by the original request's path, with the original status.
 * The exception, if any, was already logged by the container; this logs nothing above debug.
 * The console (platform-web) answers browsers asking for HTML on its own pages with an error page.
 */
@RestController
class ErrorFallbackController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    @Nullable ResponseEntity<byte[]> error(HttpServletRequest request, HttpServletResponse response) {
        if (response.isCommitted()) {
            // the container includes the error page in a response already (partly) sent, a blob's bytes:
            // anything written here would be read as the blob's last bytes; the connection is dropped instead
            return null;
        }
        return ErrorResponses.forwarded(request);
    }
}
