package io.wharf.api.security;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * An unverified credential that is a token: a registry token ({@code Authorization: Bearer} on
 * {@code /v2}) or a refresh token ({@code grant_type=refresh_token} on {@code /service/token}).
 */
final class RegistryTokenAuthentication extends AbstractAuthenticationToken {

    /** What the token is. */
    enum Kind { REGISTRY, REFRESH }

    private final Kind kind;
    private final String token;

    RegistryTokenAuthentication(Kind kind, String token, @Nullable Object details) {
        super(AuthorityUtils.NO_AUTHORITIES);
        this.kind = kind;
        this.token = token;
        setDetails(details);
    }

    Kind kind() {
        return kind;
    }

    @Override
    public Object getPrincipal() {
        return "";
    }

    @Override
    public String getCredentials() {
        return token;
    }
}
