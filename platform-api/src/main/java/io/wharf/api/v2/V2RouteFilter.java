package io.wharf.api.v2;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.MirrorRouting;
import org.springframework.beans.factory.ObjectProvider;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes {@code /v2} requests. Spring MVC patterns cannot capture a repository name with slashes, so
 * this filter parses the raw path into a {@link V2Route}, stores it as a request attribute, and lets
 * the request continue under the endpoint's internal path ({@link V2Route.Kind#path()}) where the
 * controllers are mapped. A path that does not parse continues to {@link V2Route.Kind#INVALID}, whose
 * handler throws the parse error, so every error is written by the one exception handler.
 * Also sets {@code Docker-Distribution-API-Version} on every {@code /v2} response.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class V2RouteFilter extends OncePerRequestFilter {

    private final ObjectProvider<MirrorRouting> mirror;

    V2RouteFilter(ObjectProvider<MirrorRouting> mirror) {
        this.mirror = mirror;
    }

    private static final Pattern PROXY_PREFIXED = Pattern.compile("/([a-z0-9][a-z0-9._-]*)/v2(/.*)?");

    /**
     * The request attribute set on requests that came in on the mirror's own port: their challenge
     * names that port's token endpoint (where every scope is the mirror's), not the external URL.
     */
    public static final String MIRROR_PORT_ATTRIBUTE = V2RouteFilter.class.getName() + ".mirrorPort";

    /** The request attribute carrying a path that did not parse. */
    public static final String ERROR_ATTRIBUTE = V2RouteFilter.class.getName() + ".error";
    /**
     * The repository name the client asked for, when the mirror serves it under another one (the token
     * challenge names what the client asked for; the token service grants it as the mirror's).
     */
    public static final String REQUESTED_NAME_ATTRIBUTE = V2RouteFilter.class.getName() + ".requestedName";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        // the decoded path too: /_wharf/%762/... decodes to the internal path and must not reach it unparsed
        return !(path.equals("/v2") || path.startsWith("/v2/") || path.startsWith(V2Route.INTERNAL) || isInternal(request)
            || proxyPrefixed(path) != null);
    }

    /**
     * {@code /<proxy project>/v2/<name>/...} as {@code /v2/<proxy project>/<name>/...} (and its
     * {@code /v2/} as the registry's): the shape of a client configured with a mirror URL whose path
     * is a proxy-cache project (Docker with the containerd store puts that path before {@code /v2}).
     * Null for any other path.
     */
    private String proxyPrefixed(String path) {
        Matcher m = PROXY_PREFIXED.matcher(path);
        MirrorRouting routing = mirror.getIfAvailable();
        if (!m.matches() || routing == null || !routing.isProxyProject(m.group(1))) {
            return null;
        }
        String rest = m.group(2) == null ? "" : m.group(2);
        return rest.isEmpty() || rest.equals("/") ? "/v2/" : "/v2/" + m.group(1) + rest;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
        response.setHeader("Docker-Distribution-API-Version", "registry/2.0");
        MirrorRouting routing = mirror.getIfAvailable();
        if (routing != null && routing.isMirrorPort(request.getLocalPort())) {
            request.setAttribute(MIRROR_PORT_ATTRIBUTE, Boolean.TRUE);
        }
        String path = path(request);
        if (!path.startsWith("/v2") && !path.startsWith(V2Route.INTERNAL) && !isInternal(request)) {
            String prefixed = proxyPrefixed(path);
            path = prefixed != null ? prefixed : path;
        }
        String below = path.length() <= 4 ? "" : path.substring(4);
        V2Route.Kind kind;
        try {
            if (path.startsWith(V2Route.INTERNAL) || isInternal(request)) {
                throw new PlatformException(ErrorCode.NOT_FOUND, "no such endpoint");
            }
            V2Route route = mirrored(V2Route.parse(below), request);
            request.setAttribute(V2Route.ATTRIBUTE, route);
            kind = route.kind();
        } catch (PlatformException e) {
            request.setAttribute(ERROR_ATTRIBUTE, e);
            kind = V2Route.Kind.INVALID;
        }
        chain.doFilter(new Rewritten(request, request.getContextPath() + kind.path()), response);
    }

    /** A pull of a repository Wharf does not hold, routed to the mirror's proxy-cache project (see {@link MirrorRouting}). */
    private V2Route mirrored(V2Route route, HttpServletRequest request) {
        MirrorRouting routing = mirror.getIfAvailable();
        if (route.name() == null || routing == null || !routing.enabled()) {
            return route;
        }
        // on the mirror's own port every name is the mirror project's (writes are then refused there)
        boolean mirrorPort = routing.isMirrorPort(request.getLocalPort());
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        boolean content = route.kind() == V2Route.Kind.MANIFEST || route.kind() == V2Route.Kind.BLOB || route.kind() == V2Route.Kind.TAGS;
        if (!mirrorPort && !(read && content)) {
            return route;
        }
        return routing.mirrored(route.name(), mirrorPort).map(name -> {
            request.setAttribute(REQUESTED_NAME_ATTRIBUTE, route.name());
            return new V2Route(route.kind(), name, route.reference());
        }).orElse(route);
    }

    /** Whether the decoded path names the internal mapping (only this filter may send a request there). */
    private static boolean isInternal(HttpServletRequest request) {
        String decoded = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return decoded.startsWith(V2Route.INTERNAL) || decoded.startsWith(V2Route.INTERNAL.substring(0, V2Route.INTERNAL.length() - 1));
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /** The request as seen below the filter: same everything, internal path. */
    private static final class Rewritten extends HttpServletRequestWrapper {
        private final String uri;
        private Map<String, String[]> query;

        Rewritten(HttpServletRequest request, String uri) {
            super(request);
            this.uri = uri;
        }

        @Override
        public String getRequestURI() {
            return uri;
        }

        @Override
        public StringBuffer getRequestURL() {
            StringBuffer url = new StringBuffer();
            url.append(getScheme()).append("://").append(getServerName()).append(':').append(getServerPort()).append(uri);
            return url;
        }

        @Override
        public String getServletPath() {
            return uri.substring(getContextPath().length());
        }

        @Override
        public String getPathInfo() {
            return null;
        }

        // Parameters come from the query string only: /v2 bodies are blobs and manifests, never forms,
        // whatever Content-Type a client (curl -d) puts on them, and reading them as forms would eat them.
        @Override
        public String getParameter(String name) {
            String[] values = getParameterValues(name);
            return values == null ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            if (query == null) {
                Map<String, List<String>> parsed = new LinkedHashMap<>();
                String raw = getQueryString();
                if (raw != null) {
                    for (String pair : raw.split("&")) {
                        if (pair.isEmpty()) {
                            continue;
                        }
                        int eq = pair.indexOf('=');
                        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                        parsed.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                    }
                }
                Map<String, String[]> result = new LinkedHashMap<>();
                parsed.forEach((k, v) -> result.put(k, v.toArray(String[]::new)));
                query = Collections.unmodifiableMap(result);
            }
            return query;
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(getParameterMap().keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return getParameterMap().get(name);
        }

        private static String decode(String value) {
            try {
                return URLDecoder.decode(value, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return value;
            }
        }
    }
}
