package io.wharf.web.console;

import io.wharf.api.error.ErrorResponses;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

import java.io.IOException;
import java.util.List;

/**
 * The error page for browsers: what the container forwards to {@code /error} (a page that does not
 * exist, a form refused for its missing CSRF token) is shown as the console's error page when the
 * browser asks for HTML and the original request was for a console page. The machine surfaces
 * ({@code /v2}, {@code /api}, {@code /service}, {@code /actuator}) keep their JSON errors, whatever
 * they accept; other clients get JSON from the API's fallback.
 */
@Controller
class ConsoleErrorController {

    private static final List<String> MACHINE_PREFIXES = List.of("/v2/", "/api/", "/service/", "/actuator/");

    @RequestMapping(path = "${server.error.path:${error.path:/error}}", produces = MediaType.TEXT_HTML_VALUE)
    @Nullable ModelAndView page(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String value ? value : null;
        if (uri != null && isMachinePath(uri.substring(request.getContextPath().length()))) {
            ErrorResponses.write(response, ErrorResponses.forwarded(request));
            return null;
        }
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code && uri != null ? code : 404;
        return ErrorPage.of(status < 400 ? 500 : status, null);
    }

    private static boolean isMachinePath(String path) {
        return path.equals("/v2") || MACHINE_PREFIXES.stream().anyMatch(path::startsWith);
    }
}
