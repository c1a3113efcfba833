package io.wharf.api.security;

import io.wharf.api.error.ErrorResponses;
import io.wharf.api.v2.V2Route;
import io.wharf.api.v2.V2RouteFilter;
import io.wharf.core.PlatformProperties;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.AuthProperties;
import io.wharf.core.iam.Caller;
import io.wharf.scanner.trigger.ScanProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

import java.io.IOException;

/**
 * How {@code /v2} says no, as Docker Hub and the CNCF registry do.
 *
 * <ul>
 *   <li>Not authenticated, or bad credentials: 401 with {@code WWW-Authenticate: Bearer
 *       realm="<base>/service/token",service="wharf",scope="repository:<name>:<actions>"}
 *       ({@code error="invalid_token"} for a token that does not verify). Clients fetch a token
 *       from the realm and retry, anonymous ones too. The base is chosen by {@link #baseUrl}.</li>
 *   <li>Authenticated with a token that lacks the action: 401 with the same challenge and
 *       {@code error="insufficient_scope"}.</li>
 *   <li>Authenticated with Basic credentials that may not take the action: 403 {@code DENIED}.</li>
 *   <li>Authenticated, and pushing or deleting in a proxy-cache project: 403 {@code DENIED} saying so,
 *       token or not (no token could allow it).</li>
 * </ul>
 * The scope of a mount with {@code from} also names the source's pull scope (space-separated), so
 * clients that take their scope from the challenge ask for both.
 */
final class RegistryChallenge implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final PlatformProperties platform;
    private final AuthProperties auth;
    private final ScanProperties scanning;

    RegistryChallenge(PlatformProperties platform, AuthProperties auth, ScanProperties scanning) {
        this.platform = platform;
        this.auth = auth;
        this.scanning = scanning;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
        throws IOException {
        boolean badToken = failure.getCause() != null && request.getHeader(HttpHeaders.AUTHORIZATION) != null
            && request.getHeader(HttpHeaders.AUTHORIZATION).regionMatches(true, 0, "Bearer ", 0, 7);
        String detail = request.getHeader(HttpHeaders.AUTHORIZATION) == null ? "authentication required" : failure.getMessage();
        challenge(request, response, badToken ? "invalid_token" : null, detail);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied) throws IOException {
        if (denied instanceof AuthorizationDeniedException decided
            && decided.getAuthorizationResult() instanceof RegistryAuthorization.ProxyCacheWrite write) {
            ErrorResponses.write(request, response, ErrorCode.DENIED, ErrorCode.DENIED.status(), write.detail(), new HttpHeaders());
            return;
        }
        Object principal = SecurityContextHolder.getContext().getAuthentication() == null ? null
            : SecurityContextHolder.getContext().getAuthentication().getPrincipal();
        if (principal instanceof Caller caller && caller.token() != null) {
            challenge(request, response, "insufficient_scope", denied.getMessage());
            return;
        }
        String detail = request.getAttribute(V2Route.ATTRIBUTE) instanceof V2Route route && route.name() != null
            ? "access to " + route.repository() + " (" + RegistryAuthorization.neededAction(route, request.getMethod()) + ") is not granted"
            : "access denied";
        ErrorResponses.write(request, response, ErrorCode.DENIED, ErrorCode.DENIED.status(), detail, new HttpHeaders());
    }

    private void challenge(HttpServletRequest request, HttpServletResponse response, @Nullable String error, String detail)
        throws IOException {
        StringBuilder header = new StringBuilder("Bearer realm=\"").append(baseUrl(request)).append("/service/token\",service=\"")
            .append(auth.service()).append('"');
        String scope = request.getAttribute(V2Route.ATTRIBUTE) instanceof V2Route route ? scope(route, request) : null;
        if (scope != null) {
            header.append(",scope=\"").append(scope).append('"');
        }
        if (error != null) {
            header.append(",error=\"").append(error).append('"');
        }
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, header.toString());
        ErrorResponses.write(request, response, ErrorCode.UNAUTHORIZED, 401, detail, headers);
    }

    private static @Nullable String scope(V2Route route, HttpServletRequest request) {
        if (route.kind() == V2Route.Kind.CATALOG) {
            return "registry:catalog:*";
        }
        String needed = RegistryAuthorization.neededAction(route, request.getMethod());
        if (needed == null || route.name() == null) {
            return null;
        }
        String actions = AccessPolicy.PUSH.equals(needed) ? "pull,push" : needed;
        Object requested = request.getAttribute(V2RouteFilter.REQUESTED_NAME_ATTRIBUTE);
        String scope = "repository:" + (requested != null ? requested : route.repository()) + ":" + actions;
        String from = route.kind() == V2Route.Kind.UPLOADS && request.getParameter("mount") != null
            ? request.getParameter("from") : null;
        if (from != null && !from.isEmpty() && !from.equals(route.repository().value()) && from.matches("[a-z0-9._/-]{1,255}")) {
            scope += " repository:" + from + ":pull";
        }
        return scope;
    }

    /**
     * The base URL of the token realm, the first that applies:
     * <ol>
     *   <li>on the mirror's own port, the scheme and {@code Host} the client used (that port's token
     *       endpoint grants every scope as the mirror's);</li>
     *   <li>{@code wharf.scanner.registry-url} when the request arrived on it, that is its {@code Host}
     *       names the registry URL's host and port: scanner adapters pull through that address and may
     *       not reach the external URL, so they fetch their token there too (Harbor does the same for
     *       its internal core URL);</li>
     *   <li>{@code wharf.external-url};</li>
     *   <li>the scheme and {@code Host} the client used.</li>
     * </ol>
     */
    String baseUrl(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        if (request.getAttribute(V2RouteFilter.MIRROR_PORT_ATTRIBUTE) == null) {
            String internal = scanning.registryUrl();
            if (internal != null && !internal.isBlank() && arrivedOn(host, internal.strip())) {
                return withoutTrailingSlash(internal.strip());
            }
            String configured = platform.externalUrl();
            if (configured != null && !configured.isBlank()) {
                return withoutTrailingSlash(configured);
            }
        }
        return request.getScheme() + "://" + host;
    }

    /**
     * Whether a request whose {@code Host} header is {@code host} was sent to {@code url}: the same host
     * (ignoring case) and port, a missing port being the default of {@code url}'s scheme (80, or 443 for
     * https) on either side. The scheme itself is not compared: behind a proxy that ends TLS the request
     * may arrive over plain HTTP. Anything that does not parse as a URL with a host is no match.
     */
    static boolean arrivedOn(String host, String url) {
        try {
            UriComponents target = UriComponentsBuilder.fromUriString(url).build();
            if (target.getScheme() == null || target.getHost() == null || host.isBlank()) {
                return false;
            }
            UriComponents arrived = UriComponentsBuilder.fromUriString(target.getScheme() + "://" + host.strip()).build();
            return target.getHost().equalsIgnoreCase(arrived.getHost()) && port(target) == port(arrived);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static int port(UriComponents uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
