package io.wharf.api.web;

import io.wharf.api.error.ErrorResponses;
import io.wharf.core.error.ErrorCode;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The host's error report valve: writes the protocol's JSON error body ({@link ErrorResponses}) for
 * what Tomcat rejects before the application sees it (a request line or header it cannot parse, a
 * bad {@code Host}, an invalid or overlong URI, ...) instead of Tomcat's HTML page. Like the valve
 * it replaces, it writes only for a 4xx/5xx response that is marked as an error, not yet reported
 * and has no content yet; it never writes a stack trace.
 */
final class JsonErrorReportValve extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(JsonErrorReportValve.class);

    /** Longest container message echoed as the error's detail. */
    private static final int MAX_DETAIL = 200;

    @Override
    protected void report(Request request, Response response, @Nullable Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String uri = safely(request::getRequestURI);
        String contextPath = safely(request::getContextPath);
        ErrorCode code = ErrorResponses.codeFor(status);
        byte[] body = ErrorResponses.body(ErrorResponses.isHarborPath(uri, contextPath), code, status, detail(response, throwable, status));
        log.debug("rejected by the container: {} {}: {} {}", safely(request::getMethod), uri, status, response.getMessage());
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setContentLength(body.length);
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(body, StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            log.debug("could not write the error body: {}", e.toString());
        }
    }

    /** Tomcat's reason for a client error (its own message, else its parse exception's), never for a 5xx. */
    private static @Nullable String detail(Response response, @Nullable Throwable throwable, int status) {
        String message = response.getMessage();
        if ((message == null || message.isBlank()) && throwable != null) {
            message = throwable.getMessage();
        }
        if (status >= 500 || message == null || message.isBlank()) {
            return null;
        }
        return message.length() <= MAX_DETAIL ? message : message.substring(0, MAX_DETAIL) + "...";
    }

    private static @Nullable String safely(java.util.function.Supplier<@Nullable String> value) {
        try {
            return value.get();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
