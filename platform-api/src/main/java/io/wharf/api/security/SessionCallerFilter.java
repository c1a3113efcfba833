package io.wharf.api.security;

import io.wharf.core.iam.Caller;
import io.wharf.core.iam.LoginService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Resolves a console session into this request's {@link Caller}: the account is read afresh
 * ({@link LoginService#sessionPrincipal}), and a session whose account changed, was deleted or locked
 * out of use is invalidated, on whichever node the request lands. The session itself is never
 * changed: the caller lives only in this request's security context.
 */
final class SessionCallerFilter extends OncePerRequestFilter {

    private final LoginService logins;

    SessionCallerFilter(LoginService logins) {
        this.logins = logins;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
        SecurityContext context = SecurityContextHolder.getContext();
        if (context.getAuthentication() instanceof SessionAuthentication session) {
            SecurityContext current = SecurityContextHolder.createEmptyContext();
            logins.sessionPrincipal(session.getPrincipal(), session.stamp()).ifPresentOrElse(
                principal -> current.setAuthentication(new CallerAuthentication(Caller.of(principal, request.getRemoteAddr()))),
                () -> {
                    HttpSession stale = request.getSession(false);
                    if (stale != null) {
                        stale.invalidate();
                    }
                });
            SecurityContextHolder.setContext(current);
        }
        chain.doFilter(request, response);
    }
}
