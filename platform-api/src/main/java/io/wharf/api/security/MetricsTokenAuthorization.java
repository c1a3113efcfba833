package io.wharf.api.security;

import io.wharf.core.system.MetricsProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * Who may read {@code /metrics}: everyone when {@code wharf.metrics.token} is unset; otherwise only
 * requests carrying {@code Authorization: Bearer <token>} (compared in constant time). Others get
 * 401 with a {@code Bearer} challenge and no body. The token is no account: it opens the scrape and
 * nothing else.
 */
final class MetricsTokenAuthorization implements AuthorizationManager<RequestAuthorizationContext>,
    AuthenticationEntryPoint, AccessDeniedHandler {

    private static final String BEARER = "Bearer ";

    private final byte @Nullable [] token;

    MetricsTokenAuthorization(MetricsProperties properties) {
        this.token = properties.tokenRequired() ? properties.token().getBytes(StandardCharsets.UTF_8) : null;
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends @Nullable Authentication> authentication, RequestAuthorizationContext context) {
        return new AuthorizationDecision(token == null || presented(context.getRequest()));
    }

    private boolean presented(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) {
        challenge(response);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) {
        challenge(response);
    }

    private static void challenge(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"wharf-metrics\"");
        response.setContentLength(0);
    }
}
