package io.wharf.api.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

import java.io.Serial;

/**
 * What a console session keeps (in the shared session store, so it must serialize): the user's
 * name and the account version at login, never a password or a cached principal.
 * {@link SessionCallerFilter} turns it into the request's {@code Caller} on every request, and ends
 * the session once the account changed.
 */
final class SessionAuthentication extends AbstractAuthenticationToken {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String username;
    private final long version;

    SessionAuthentication(String username, long version) {
        super(AuthorityUtils.createAuthorityList("ROLE_USER"));
        this.username = username;
        this.version = version;
        setAuthenticated(true);
    }

    long version() {
        return version;
    }

    @Override
    public String getPrincipal() {
        return username;
    }

    @Override
    public Object getCredentials() {
        return "";
    }
}
