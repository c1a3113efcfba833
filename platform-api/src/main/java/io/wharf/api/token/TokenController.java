package io.wharf.api.token;

import io.wharf.api.security.AuthenticationChallenge;
import io.wharf.api.security.Credentials;
import io.wharf.core.audit.AuditEvent;
import io.wharf.core.audit.AuditService;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.AuthProperties;
import io.wharf.core.iam.LoginService;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.Robot;
import io.wharf.core.iam.RobotService;
import io.wharf.core.iam.TokenService;
import io.wharf.core.iam.UserService;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Docker token endpoint, {@code /service/token}, as Docker Hub and Harbor speak it.
 *
 * <ul>
 *   <li>{@code GET ?service=&scope=...} (scope may repeat; {@code account}, {@code client_id},
 *       {@code offline_token} accepted) with Basic credentials or none. Bad credentials are 401
 *       (that is how {@code docker login} learns a password is wrong); no credentials get an
 *       anonymous token.</li>
 *   <li>{@code POST} form, the OAuth2 flavour containerd and podman may use: {@code grant_type=password}
 *       ({@code username}, {@code password}) and {@code grant_type=refresh_token}.</li>
 * </ul>
 * Each requested scope is granted only the actions the caller may actually take; unknown or forbidden
 * repositories get empty actions (a 200 is not an authorisation).
 */
@RestController
class TokenController {

    private final LoginService logins;
    private final TokenService tokens;
    private final AccessPolicy policy;
    private final UserService users;
    private final RobotService robots;
    private final AuditService audit;
    private final AuthProperties properties;

    TokenController(LoginService logins, TokenService tokens, AccessPolicy policy, UserService users, RobotService robots,
                    AuditService audit, AuthProperties properties) {
        this.logins = logins;
        this.tokens = tokens;
        this.policy = policy;
        this.users = users;
        this.robots = robots;
        this.audit = audit;
        this.properties = properties;
    }

    @GetMapping("/service/token")
    ResponseEntity<Map<String, Object>> get(@RequestParam(name = "offline_token", required = false) @Nullable String offline,
                                            HttpServletRequest request) {
        Credentials credentials = Credentials.of(request);
        Principal principal = Principal.ANONYMOUS;
        if (credentials != null) {
            if (credentials.type() != Credentials.Type.BASIC) {
                throw new AuthenticationChallenge("Basic realm=\"wharf\"", "the token endpoint takes Basic credentials");
            }
            principal = login(credentials.username(), credentials.secret(), request);
        }
        return respond(principal, scopes(request), "true".equalsIgnoreCase(offline), request);
    }

    @PostMapping(path = "/service/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Map<String, Object>> post(@RequestParam(name = "grant_type", required = false) @Nullable String grantType,
                                             @RequestParam(required = false) @Nullable String username,
                                             @RequestParam(required = false) @Nullable String password,
                                             @RequestParam(name = "refresh_token", required = false) @Nullable String refreshToken,
                                             @RequestParam(name = "access_type", required = false) @Nullable String accessType,
                                             HttpServletRequest request) {
        Principal principal;
        boolean offline = "offline".equals(accessType);
        if ("password".equals(grantType)) {
            if (username == null || password == null) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "username and password are required");
            }
            principal = login(username, password, request);
        } else if ("refresh_token".equals(grantType)) {
            if (refreshToken == null) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "refresh_token is required");
            }
            principal = fromRefresh(refreshToken);
        } else {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "grant_type must be password or refresh_token");
        }
        return respond(principal, scopes(request), offline, request);
    }

    private ResponseEntity<Map<String, Object>> respond(Principal principal, List<TokenService.Access> requested,
                                                        boolean offline, HttpServletRequest request) {
        List<TokenService.Access> granted = new ArrayList<>();
        for (TokenService.Access access : requested) {
            granted.add(new TokenService.Access(access.type(), access.name(), grant(principal, access)));
        }
        TokenService.Issued issued = tokens.issue(principal.name(), granted);
        audit.record(new AuditEvent(principal.isAnonymous() ? null : principal.name(), "token", "token",
            granted.toString(), true, request.getRemoteAddr(), null));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token());
        body.put("access_token", issued.token());
        body.put("expires_in", issued.expiresIn());
        body.put("issued_at", issued.issuedAt().toString());
        if (offline && !principal.isAnonymous()) {
            body.put("refresh_token", tokens.issueRefresh(principal.name()));
        }
        return ResponseEntity.ok().header("Cache-Control", "no-store").body(body);
    }

    private Set<String> grant(Principal principal, TokenService.Access access) {
        if ("registry".equals(access.type()) && "catalog".equals(access.name())) {
            return access.actions().contains("*") ? Set.of("*") : Set.of();
        }
        if (!"repository".equals(access.type())) {
            return Set.of();
        }
        Set<String> allowed = policy.repositoryActions(principal, access.name());
        Set<String> granted = new LinkedHashSet<>();
        for (String action : access.actions()) {
            if (action.equals("*")) {
                granted.addAll(allowed);
            } else if (allowed.contains(action)) {
                granted.add(action);
            }
        }
        return granted;
    }

    private Principal login(String username, String password, HttpServletRequest request) {
        try {
            return logins.authenticate(username, password, request.getRemoteAddr());
        } catch (PlatformException e) {
            throw new AuthenticationChallenge("Basic realm=\"wharf\"", String.valueOf(e.detail()));
        }
    }

    private Principal fromRefresh(String refreshToken) {
        String subject = tokens.verifyRefresh(refreshToken);
        if (subject.startsWith(Robot.PREFIX)) {
            return robots.findActive(subject).map(Principal::robot)
                .orElseThrow(() -> new PlatformException(ErrorCode.UNAUTHORIZED, "the robot is gone or inactive"));
        }
        return users.findByUsername(subject).map(Principal::user)
            .orElseThrow(() -> new PlatformException(ErrorCode.UNAUTHORIZED, "the user is gone"));
    }

    /**
     * Parses the {@code scope} parameters ({@code type[(class)]:name:actions}, repeated, or several in
     * one separated by spaces as OAuth2 forms send them). Read raw: Spring would split the actions'
     * commas into list elements. Malformed scopes are ignored.
     */
    static List<TokenService.Access> scopes(HttpServletRequest request) {
        List<TokenService.Access> scopes = new ArrayList<>();
        String[] values = request.getParameterValues("scope");
        if (values == null) {
            return scopes;
        }
        for (String value : values) {
            for (String scope : value.trim().split("\\s+")) {
                int first = scope.indexOf(':');
                int last = scope.lastIndexOf(':');
                if (first <= 0 || last <= first) {
                    continue;
                }
                String type = scope.substring(0, first);
                int paren = type.indexOf('(');
                if (paren > 0) {
                    type = type.substring(0, paren);
                }
                Set<String> actions = new LinkedHashSet<>(Arrays.asList(scope.substring(last + 1).split(",")));
                actions.remove("");
                scopes.add(new TokenService.Access(type, scope.substring(first + 1, last), actions));
            }
        }
        return scopes;
    }
}
