package io.wharf.api.v2;

import io.wharf.api.security.AuthenticationChallenge;
import io.wharf.api.security.Credentials;
import io.wharf.core.PlatformProperties;
import io.wharf.core.audit.AuditEvent;
import io.wharf.core.audit.AuditService;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.AuthProperties;
import io.wharf.core.iam.LoginService;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.RobotService;
import io.wharf.core.iam.TokenService;
import io.wharf.core.iam.UserService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.Set;

/**
 * Authenticates every {@code /v2} request and checks the action it needs on its repository.
 *
 * <ul>
 *   <li>No credentials: 401 with {@code WWW-Authenticate: Bearer realm="<external-url>/service/token",
 *       service="wharf",scope="repository:<name>:<actions>"}, even where an anonymous token would be
 *       allowed to pull: clients fetch one from the realm and retry.</li>
 *   <li>Bearer: the token must verify ({@link TokenService#verify}) and grant the action on that exact
 *       repository; otherwise 401 with the challenge ({@code error="invalid_token"} or
 *       {@code "insufficient_scope"}).</li>
 *   <li>Basic (users, robots): checked by {@link LoginService}; an action the policy does not allow is
 *       403 {@code DENIED}.</li>
 * </ul>
 * Pushes, manifest pulls and deletes are audited once they succeed.
 */
@Component
class RegistryAccessInterceptor implements HandlerInterceptor {

    private final TokenService tokens;
    private final LoginService logins;
    private final AccessPolicy policy;
    private final UserService users;
    private final RobotService robots;
    private final AuditService audit;
    private final PlatformProperties platform;
    private final AuthProperties auth;

    RegistryAccessInterceptor(TokenService tokens, LoginService logins, AccessPolicy policy, UserService users,
                              RobotService robots, AuditService audit, PlatformProperties platform, AuthProperties auth) {
        this.tokens = tokens;
        this.logins = logins;
        this.policy = policy;
        this.users = users;
        this.robots = robots;
        this.audit = audit;
        this.platform = platform;
        this.auth = auth;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Object attribute = request.getAttribute(V2Route.ATTRIBUTE);
        if (!(attribute instanceof V2Route route)) {
            return true;
        }
        String needed = neededAction(route, request.getMethod());
        String scope = scope(route, needed, request);
        Credentials credentials = Credentials.of(request);
        if (credentials == null) {
            throw challenge(request, scope, null, "authentication required");
        }
        RegistryCaller caller;
        if (credentials.type() == Credentials.Type.BEARER) {
            TokenService.Claims claims;
            try {
                claims = tokens.verify(credentials.secret());
            } catch (PlatformException e) {
                throw challenge(request, scope, "invalid_token", String.valueOf(e.detail()));
            }
            TokenService.Claims verified = claims;
            caller = new RegistryCaller(() -> identity(verified.subject()), claims, policy);
        } else {
            try {
                Principal principal = logins.authenticateRequest(credentials.username(), credentials.secret(), request.getRemoteAddr());
                caller = new RegistryCaller(() -> principal, null, policy);
            } catch (PlatformException e) {
                throw challenge(request, scope, null, "invalid username or password");
            }
        }
        request.setAttribute(RegistryCaller.ATTRIBUTE, caller);
        if (needed != null && route.name() != null) {
            Set<String> granted = caller.actions(route.repository().value());
            if (!granted.contains(needed) && !granted.contains("*")) {
                String detail = "access to " + route.repository() + " (" + needed + ") is not granted";
                if (caller.token() != null) {
                    throw challenge(request, scope, "insufficient_scope", detail);
                }
                throw new PlatformException(ErrorCode.DENIED, detail);
            }
        }
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
                                @Nullable Exception ex) {
        if (!(request.getAttribute(V2Route.ATTRIBUTE) instanceof V2Route route)
            || !(request.getAttribute(RegistryCaller.ATTRIBUTE) instanceof RegistryCaller caller)) {
            return;
        }
        String operation = switch (request.getMethod()) {
            case "PUT" -> route.kind() == V2Route.Kind.MANIFEST && response.getStatus() == 201 ? "push" : null;
            case "GET" -> route.kind() == V2Route.Kind.MANIFEST && response.getStatus() == 200 ? "pull" : null;
            case "DELETE" -> (route.kind() == V2Route.Kind.MANIFEST || route.kind() == V2Route.Kind.BLOB)
                && response.getStatus() == 202 ? "delete" : null;
            default -> null;
        };
        if (operation != null) {
            audit.record(new AuditEvent(caller.auditName(), operation, route.kind() == V2Route.Kind.BLOB ? "blob" : "artifact",
                route.repository() + (route.kind() == V2Route.Kind.BLOB ? "@" : ":") + route.reference(), true,
                request.getRemoteAddr(), null));
        }
    }

    /** The repository action a request needs, or null when it needs only valid credentials. */
    private static @Nullable String neededAction(V2Route route, String method) {
        return switch (route.kind()) {
            case BASE, CATALOG, INVALID -> null;
            case TAGS, REFERRERS -> AccessPolicy.PULL;
            case MANIFEST -> switch (method) {
                case "PUT" -> AccessPolicy.PUSH;
                case "DELETE" -> AccessPolicy.DELETE;
                default -> AccessPolicy.PULL;
            };
            case BLOB -> "DELETE".equals(method) ? AccessPolicy.DELETE : AccessPolicy.PULL;
            case UPLOADS, UPLOAD -> AccessPolicy.PUSH;
        };
    }

    /**
     * The scope the challenge names. A mount with {@code from} also needs pull on the source, so its
     * scope is named too (space-separated, as the CNCF registry does), letting clients that take
     * their scope from the challenge ask for both.
     */
    private static @Nullable String scope(V2Route route, @Nullable String needed, HttpServletRequest request) {
        if (route.kind() == V2Route.Kind.CATALOG) {
            return "registry:catalog:*";
        }
        if (needed == null || route.name() == null) {
            return null;
        }
        String actions = AccessPolicy.PUSH.equals(needed) ? "pull,push" : needed;
        String scope = "repository:" + route.repository() + ":" + actions;
        String from = route.kind() == V2Route.Kind.UPLOADS && request.getParameter("mount") != null
            ? request.getParameter("from") : null;
        if (from != null && !from.isEmpty() && !from.equals(route.repository().value()) && from.matches("[a-z0-9._/-]{1,255}")) {
            scope += " repository:" + from + ":pull";
        }
        return scope;
    }

    private AuthenticationChallenge challenge(HttpServletRequest request, @Nullable String scope, @Nullable String error,
                                              String detail) {
        StringBuilder header = new StringBuilder("Bearer realm=\"").append(baseUrl(request)).append("/service/token\",service=\"")
            .append(auth.service()).append('"');
        if (scope != null) {
            header.append(",scope=\"").append(scope).append('"');
        }
        if (error != null) {
            header.append(",error=\"").append(error).append('"');
        }
        return new AuthenticationChallenge(header.toString(), detail);
    }

    /** {@code wharf.external-url}, or the scheme and {@code Host} the client used. */
    String baseUrl(HttpServletRequest request) {
        String configured = platform.externalUrl();
        if (configured != null && !configured.isBlank()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        return request.getScheme() + "://" + host;
    }

    private Principal identity(String subject) {
        if (subject.isEmpty()) {
            return Principal.ANONYMOUS;
        }
        if (subject.startsWith(io.wharf.core.iam.Robot.PREFIX)) {
            return robots.findActive(subject).map(Principal::robot).orElse(Principal.ANONYMOUS);
        }
        return users.findByUsername(subject).map(Principal::user).orElse(Principal.ANONYMOUS);
    }
}
