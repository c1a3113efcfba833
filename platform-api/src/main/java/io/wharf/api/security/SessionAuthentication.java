package io.wharf.api.security;

import io.wharf.core.iam.AccountStamp;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

import java.io.Serial;

/**
 * What a console session keeps (in the shared session store, so it must serialize): the user's
 * name and the account's stamp at login (row id and version, so a recreated account of the same
 * name is another account), never a password or a cached principal.
 * {@link SessionCallerFilter} turns it into the request's {@code Caller} on every request, and ends
 * the session once the account changed.
 */
final class SessionAuthentication extends AbstractAuthenticationToken {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String username;
    private final AccountStamp stamp;

    SessionAuthentication(String username, AccountStamp stamp) {
        super(AuthorityUtils.createAuthorityList("ROLE_USER"));
        this.username = username;
        this.stamp = stamp;
        setAuthenticated(true);
    }

    /** The account's row id and version at login. */
    AccountStamp stamp() {
        return stamp;
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
