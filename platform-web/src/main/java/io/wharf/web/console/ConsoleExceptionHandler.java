package io.wharf.web.console;

import io.wharf.core.error.PlatformException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.support.RequestContextUtils;

import java.net.URI;

/**
 * How the console's controllers fail: controllers do not catch. A refused or impossible action that
 * came from a form (a POST) goes back to the page it came from with the reason as an alert; a page
 * that cannot be shown becomes the error page with the right status. Anything unexpected is logged
 * once and shown as a 500 page without details. Runs before the API's handler, for console
 * controllers only.
 */
@ControllerAdvice(basePackages = "io.wharf.web.console")
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ConsoleExceptionHandler.class);

    @ExceptionHandler(PlatformException.class)
    ModelAndView platform(PlatformException e, HttpServletRequest request) {
        log.debug("{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        String message = e.detail() == null ? e.code().message() : String.valueOf(e.detail());
        return backOrPage(request, ErrorPage.status(e.code(), e.status()), message);
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    ModelAndView badRequest(Exception e, HttpServletRequest request) {
        log.debug("{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        return backOrPage(request, 400, "The form was incomplete or had a value of the wrong kind.");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ModelAndView method(HttpRequestMethodNotSupportedException e) {
        return ErrorPage.of(405, null);
    }

    @ExceptionHandler(Exception.class)
    ModelAndView unknown(Exception e, HttpServletRequest request) {
        log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        return ErrorPage.of(500, null);
    }

    /**
     * After a form post, back to the page the form was on (the {@code Referer}'s path on this site)
     * with the message as an alert; otherwise the error page.
     */
    private static ModelAndView backOrPage(HttpServletRequest request, int status, String message) {
        String back = "POST".equals(request.getMethod()) ? localPath(request.getHeader(HttpHeaders.REFERER), request) : null;
        if (back == null) {
            return ErrorPage.of(status, message);
        }
        RequestContextUtils.getOutputFlashMap(request).put(Flash.ALERT, message);
        return new ModelAndView("redirect:" + back);
    }

    /** The path and query of {@code referer} when it is a page of this site (same host), else null. */
    private static @org.jspecify.annotations.Nullable String localPath(@org.jspecify.annotations.Nullable String referer,
                                                                       HttpServletRequest request) {
        if (referer == null) {
            return null;
        }
        try {
            URI uri = URI.create(referer);
            String host = request.getHeader(HttpHeaders.HOST);
            if (uri.getRawAuthority() == null || !uri.getRawAuthority().equalsIgnoreCase(host) || uri.getRawPath() == null
                || !uri.getRawPath().startsWith("/") || uri.getRawPath().startsWith("//")) {
                return null;
            }
            return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
