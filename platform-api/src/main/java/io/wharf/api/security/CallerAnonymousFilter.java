package io.wharf.api.security;

import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Spring's anonymous authentication with an anonymous {@link Caller} as principal (it carries the
 * request's address for the audit log), so every handler receives a {@code Caller}.
 */
final class CallerAnonymousFilter extends AnonymousAuthenticationFilter {

    private static final String KEY = "wharf-anonymous";

    CallerAnonymousFilter() {
        super(KEY);
    }

    @Override
    protected Authentication createAuthentication(HttpServletRequest request) {
        return new AnonymousAuthenticationToken(KEY, Caller.of(Principal.ANONYMOUS, request.getRemoteAddr()),
            AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
    }
}
