package io.wharf.api.security;

import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccountStamp;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.LoginService;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.Robot;
import io.wharf.core.iam.RobotService;
import io.wharf.core.iam.ScanCredentialService;
import org.springframework.beans.factory.ObjectProvider;
import io.wharf.core.iam.TokenService;
import io.wharf.core.iam.UserService;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The one authentication provider, over the accounts: passwords and robot secrets through
 * {@link LoginService} (lockout, audit events, the version-checked cache), registry tokens through
 * {@link TokenService#verify} and refresh tokens through {@link TokenService#verifyRefresh}. Each
 * surface gets an instance with its own rules ({@link Mode}). The result is a
 * {@link CallerAuthentication} whose principal is the core {@link Caller}, or for the console's form
 * login a {@link SessionAuthentication} that the session keeps.
 */
final class WharfAuthenticationProvider implements AuthenticationProvider {

    /** How a surface logs in. */
    enum Mode {
        /** Credentials sent with every request ({@code /v2}): successful checks are cached. */
        PER_REQUEST,
        /** As {@link #PER_REQUEST}, for {@code /api}: scan credentials pull, they never call the API. */
        API,
        /**
         * A login ({@code /service/token}): as {@link #PER_REQUEST}, since clients ask for a token before
         * every pull and push (docker, containerd); each token is audited ({@code TokenIssued}), the login
         * when the password is checked.
         */
        LOGIN,
        /** The console's form login: users only, robots cannot use the console. */
        CONSOLE
    }

    private final LoginService logins;
    private final TokenService tokens;
    private final UserService users;
    private final RobotService robots;
    private final Mode mode;
    private final ObjectProvider<ScanCredentialService> scanCredentials;

    WharfAuthenticationProvider(LoginService logins, TokenService tokens, UserService users, RobotService robots,
                                ObjectProvider<ScanCredentialService> scanCredentials, Mode mode) {
        this.scanCredentials = scanCredentials;
        this.logins = logins;
        this.tokens = tokens;
        this.users = users;
        this.robots = robots;
        this.mode = mode;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String remoteAddr = remoteAddr(authentication);
        try {
            if (authentication instanceof RegistryTokenAuthentication token) {
                if (token.kind() == RegistryTokenAuthentication.Kind.REFRESH) {
                    TokenService.Refresh refresh = tokens.verifyRefresh(token.getCredentials());
                    if (refresh.stamp() == null || !logins.accountStamp(refresh.subject()).filter(refresh.stamp()::equals).isPresent()) {
                        throw new BadCredentialsException("the account of this refresh token changed or is gone");
                    }
                    return new CallerAuthentication(Caller.of(identity(refresh.subject(), true), remoteAddr));
                }
                TokenService.Claims claims = tokens.verify(token.getCredentials());
                return new CallerAuthentication(Caller.withToken(claims, () -> identity(claims.subject(), false), remoteAddr));
            }
            String username = String.valueOf(authentication.getPrincipal());
            String password = String.valueOf(authentication.getCredentials());
            if (mode == Mode.CONSOLE && username.startsWith(Robot.PREFIX)) {
                throw new BadCredentialsException("robot accounts cannot use the console");
            }
            if ((mode == Mode.CONSOLE || mode == Mode.API) && username.startsWith(ScanCredentialService.PREFIX)) {
                throw new BadCredentialsException("a scan credential only pulls its repository over /v2");
            }
            // a session records the account's stamp as it was before the check, so a change racing the
            // login (a new password) ends the session instead of being hidden by it
            var before = mode == Mode.CONSOLE ? logins.accountStamp(username) : java.util.Optional.<AccountStamp>empty();
            Principal principal = mode != Mode.CONSOLE
                ? logins.authenticateRequest(username, password, remoteAddr)
                : logins.authenticate(username, password, remoteAddr);
            if (mode == Mode.CONSOLE) {
                return new SessionAuthentication(username,
                    before.orElseThrow(() -> new BadCredentialsException("the account changed during the login")));
            }
            return new CallerAuthentication(Caller.of(principal, remoteAddr));
        } catch (PlatformException e) {
            throw new BadCredentialsException(String.valueOf(e.detail()), e);
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication)
            || (mode != Mode.CONSOLE && RegistryTokenAuthentication.class.isAssignableFrom(authentication));
    }

    /**
     * The identity behind a token's subject. A registry token outlives nothing: a deleted user or a
     * disabled robot is anonymous from then on. A refresh token of such an account is refused.
     */
    private Principal identity(String subject, boolean required) {
        if (subject.isEmpty()) {
            return Principal.ANONYMOUS;
        }
        ScanCredentialService scans = scanCredentials.getIfAvailable();
        var found = subject.startsWith(Robot.PREFIX) ? robots.findActive(subject).map(Principal::robot)
            : subject.startsWith(ScanCredentialService.PREFIX)
                ? (scans == null ? java.util.Optional.<Principal>empty() : scans.principal(subject))
                : users.findByUsername(subject).map(Principal::user);
        if (found.isEmpty() && required) {
            throw new BadCredentialsException("the account of this token is gone or inactive");
        }
        return found.orElse(Principal.ANONYMOUS);
    }

    private static @Nullable String remoteAddr(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress() : null;
    }
}
