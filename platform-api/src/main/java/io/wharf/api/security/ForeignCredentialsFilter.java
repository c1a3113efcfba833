package io.wharf.api.security;

import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.MirrorRouting;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.iam.TokenService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Requirement R3 of the mirror (docs/proxy.md): the Docker daemon sends its Docker Hub login, as
 * Basic, to the token endpoint of every mirror, and goes to Docker Hub when the mirror refuses it.
 * For a token request whose every scope is a pull from a proxy-cache project
 * ({@link MirrorRouting#toleratesForeignCredentials}), this filter checks the credentials itself:
 * valid ones authenticate as usual; ones Wharf cannot validate are dropped, so the request goes on
 * as an anonymous one and gets what anyone may pull. Every other token request is left to the
 * chain's authentication filter (and a 401 for bad credentials).
 */
final class ForeignCredentialsFilter extends OncePerRequestFilter {

    private final AuthenticationConverter converter;
    private final AuthenticationManager manager;
    private final ObjectProvider<MirrorRouting> mirror;
    private final Function<HttpServletRequest, List<TokenService.Access>> scopes;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    ForeignCredentialsFilter(AuthenticationConverter converter, AuthenticationManager manager, ObjectProvider<MirrorRouting> mirror,
                             Function<HttpServletRequest, List<TokenService.Access>> scopes) {
        this.converter = converter;
        this.manager = manager;
        this.mirror = mirror;
        this.scopes = scopes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return !"GET".equals(request.getMethod()) || authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
        MirrorRouting routing = mirror.getIfAvailable();
        List<RepositoryName> pulls = pulls(request);
        if (routing == null || pulls == null || !routing.toleratesForeignCredentials(pulls, routing.isMirrorPort(request.getLocalPort()))) {
            chain.doFilter(request, response);
            return;
        }
        Authentication attempt = converter.convert(request);
        if (attempt != null) {
            try {
                Authentication authenticated = manager.authenticate(attempt);
                SecurityContext context = contexts.createEmptyContext();
                context.setAuthentication(authenticated);
                contexts.setContext(context);
            } catch (AuthenticationException foreign) {
                logger.debug("Token request for proxy-cache pulls with credentials Wharf cannot validate: served as anonymous");
            }
        }
        chain.doFilter(new WithoutAuthorization(request), response);
    }

    /** The repositories of the requested scopes when every one is a pull only; null otherwise. */
    private @Nullable List<RepositoryName> pulls(HttpServletRequest request) {
        List<RepositoryName> names = new ArrayList<>();
        for (TokenService.Access access : scopes.apply(request)) {
            if (!"repository".equals(access.type()) || !Set.of("pull").equals(access.actions())) {
                return null;
            }
            try {
                names.add(RepositoryName.of(access.name()));
            } catch (PlatformException invalid) {
                return null;
            }
        }
        return names;
    }

    /** The request without its credentials: checked here, they are not to be checked again. */
    private static final class WithoutAuthorization extends HttpServletRequestWrapper {

        WithoutAuthorization(HttpServletRequest request) {
            super(request);
        }

        @Override
        public @Nullable String getHeader(String name) {
            return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
            names.removeIf(HttpHeaders.AUTHORIZATION::equalsIgnoreCase);
            return Collections.enumeration(names);
        }
    }
}
