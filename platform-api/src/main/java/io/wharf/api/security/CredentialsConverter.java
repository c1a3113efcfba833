package io.wharf.api.security;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.WebAuthenticationDetailsSource;
import org.springframework.security.web.authentication.www.BasicAuthenticationConverter;

/**
 * Reads a request's credentials for one surface: {@code Authorization: Basic} everywhere (Spring's
 * converter), {@code Authorization: Bearer} where registry tokens are accepted ({@code /v2}), and on
 * the token endpoint the OAuth2 form of {@code POST /service/token} ({@code grant_type=password} or
 * {@code refresh_token}). No credentials give null (the request goes on as anonymous); an
 * {@code Authorization} header this surface does not take, or cannot read, is a bad credential (401).
 */
final class CredentialsConverter implements AuthenticationConverter {

    private final BasicAuthenticationConverter basic = new BasicAuthenticationConverter();
    private final WebAuthenticationDetailsSource details = new WebAuthenticationDetailsSource();
    private final boolean bearer;
    private final boolean tokenForm;

    private CredentialsConverter(boolean bearer, boolean tokenForm) {
        this.bearer = bearer;
        this.tokenForm = tokenForm;
    }

    /** {@code /v2}: Basic or a registry token. */
    static CredentialsConverter registry() {
        return new CredentialsConverter(true, false);
    }

    /** {@code /api}: Basic only. */
    static CredentialsConverter basicOnly() {
        return new CredentialsConverter(false, false);
    }

    /** {@code /service/token}: Basic, or the OAuth2 password and refresh-token grants. */
    static CredentialsConverter tokenEndpoint() {
        return new CredentialsConverter(false, true);
    }

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return tokenForm ? form(request) : null;
        }
        if (bearer && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new RegistryTokenAuthentication(RegistryTokenAuthentication.Kind.REGISTRY, header.substring(7).trim(),
                details.buildDetails(request));
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            UsernamePasswordAuthenticationToken token = basic.convert(request);
            if (token != null && !String.valueOf(token.getPrincipal()).isEmpty()) {
                return token;
            }
        }
        throw new BadCredentialsException(bearer ? "unsupported or malformed credentials"
            : "this endpoint takes Basic credentials");
    }

    private @Nullable Authentication form(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return null;
        }
        String grant = request.getParameter("grant_type");
        if ("password".equals(grant)) {
            String username = request.getParameter("username");
            String password = request.getParameter("password");
            if (username == null || password == null) {
                return null;
            }
            UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.unauthenticated(username, password);
            token.setDetails(details.buildDetails(request));
            return token;
        }
        if ("refresh_token".equals(grant) && request.getParameter("refresh_token") != null) {
            return new RegistryTokenAuthentication(RegistryTokenAuthentication.Kind.REFRESH, request.getParameter("refresh_token"),
                details.buildDetails(request));
        }
        return null;
    }
}
