package io.wharf.api.token;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.TokenService;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import io.wharf.core.registry.MirrorRouting;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
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
 * The security chain has authenticated the caller (Basic, or the grant's credentials); bad credentials
 * never reach this controller. Each requested scope is granted only the actions the caller may
 * actually take ({@link TokenService#grant}); unknown or forbidden repositories get empty actions.
 */
@RestController
public class TokenController {

    private final TokenService tokens;
    private final ObjectProvider<MirrorRouting> mirror;

    TokenController(TokenService tokens, ObjectProvider<MirrorRouting> mirror) {
        this.tokens = tokens;
        this.mirror = mirror;
    }

    @GetMapping("/service/token")
    ResponseEntity<Map<String, Object>> get(@AuthenticationPrincipal Caller caller,
                                            @RequestParam(name = "offline_token", required = false) @Nullable String offline,
                                            HttpServletRequest request) {
        return respond(caller, request, "true".equalsIgnoreCase(offline));
    }

    @PostMapping(path = "/service/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Map<String, Object>> post(@AuthenticationPrincipal Caller caller,
                                             @RequestParam(name = "grant_type", required = false) @Nullable String grantType,
                                             @RequestParam(name = "access_type", required = false) @Nullable String accessType,
                                             HttpServletRequest request) {
        // the security chain authenticated the grant's credentials; an anonymous caller here sent none
        if ("password".equals(grantType)) {
            if (caller.isAnonymous()) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "username and password are required");
            }
        } else if ("refresh_token".equals(grantType)) {
            if (caller.isAnonymous()) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "refresh_token is required");
            }
        } else {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "grant_type must be password or refresh_token");
        }
        return respond(caller, request, "offline".equals(accessType));
    }

    private ResponseEntity<Map<String, Object>> respond(Caller caller, HttpServletRequest request, boolean offline) {
        List<TokenService.Access> requested = scopes(request);
        MirrorRouting routing = mirror.getIfAvailable();
        TokenService.Issued issued = tokens.grant(caller, requested, routing != null && routing.isMirrorPort(request.getLocalPort()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token());
        body.put("access_token", issued.token());
        body.put("expires_in", issued.expiresIn());
        body.put("issued_at", issued.issuedAt().toString());
        if (offline) {
            tokens.issueRefresh(caller).ifPresent(refresh -> body.put("refresh_token", refresh));
        }
        return ResponseEntity.ok().header("Cache-Control", "no-store").body(body);
    }

    /**
     * Parses the {@code scope} parameters ({@code type[(class)]:name:actions}, repeated, or several in
     * one separated by spaces as OAuth2 forms send them). Read raw: Spring would split the actions'
     * commas into list elements. Malformed scopes are ignored.
     */
    public static List<TokenService.Access> scopes(HttpServletRequest request) {
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
