package io.wharf.api.security;

import io.wharf.api.error.ErrorResponses;
import io.wharf.api.v2.V2Route;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.PlatformProperties;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.AuthProperties;
import io.wharf.core.iam.LoginService;
import io.wharf.core.iam.RobotService;
import io.wharf.core.iam.TokenService;
import io.wharf.core.iam.UserService;
import io.wharf.core.system.MetricsProperties;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import io.wharf.core.iam.Caller;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import io.wharf.api.token.TokenController;
import io.wharf.core.registry.MirrorRouting;
import org.springframework.beans.factory.ObjectProvider;
import io.wharf.core.iam.ScanCredentialService;
import io.wharf.scanner.trigger.ScanProperties;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.util.Set;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * One {@link SecurityFilterChain} per surface, all over the same accounts
 * ({@link WharfAuthenticationProvider}):
 *
 * <ol>
 *   <li>{@code /v2} (seen here under its internal path, after {@code V2RouteFilter}): Basic or a
 *       registry token, stateless, no CSRF; the Docker challenge for anything missing
 *       ({@link RegistryChallenge}); the action each endpoint needs is checked by
 *       {@link RegistryAuthorization}.</li>
 *   <li>{@code /service/token}: Basic, or the OAuth2 password and refresh-token grants; anonymous
 *       callers get anonymous tokens; stateless.</li>
 *   <li>{@code /api}: Basic on each request, or the console's session; calls that ride on the session
 *       (no {@code Authorization} header) must carry the CSRF token ({@code X-XSRF-TOKEN} header with
 *       the {@code XSRF-TOKEN} cookie's value). Use cases decide access; only Swagger UI's static pages
 *       ({@code /api/v2.0/swagger-ui/**}) are admitted here, to system administrators, having no use case.
 *       The OpenAPI document ({@code /api/v2.0/openapi.json}) is open, like Harbor's swagger.</li>
 *   <li>{@code /metrics}: the Prometheus scrape; open, or only with {@code Authorization: Bearer
 *       <wharf.metrics.token>} when that is set ({@link MetricsTokenAuthorization}); stateless.</li>
 *   <li>{@code /actuator}: health and info, open (the probes).</li>
 *   <li>Everything else, the console: form login at {@code /login} for users (not robots), logout,
 *       session cookie (HttpOnly, SameSite=Lax, see application.yml), CSRF on every form. Every page
 *       needs a login (anonymous requests are sent to {@code /login}) except the login page, the
 *       static assets under {@code /static} and the error page.</li>
 * </ol>
 * Handlers receive the authenticated core {@link io.wharf.core.iam.Caller} with
 * {@code @AuthenticationPrincipal}; anonymous requests get an anonymous one.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    /** The console's login page (its form posts to the same path). */
    static final String LOGIN_PAGE = "/login";

    private final LoginService logins;
    private final TokenService tokens;
    private final UserService users;
    private final RobotService robots;

    private final ObjectProvider<ScanCredentialService> scanCredentials;

    SecurityConfiguration(LoginService logins, TokenService tokens, UserService users, RobotService robots,
                          ObjectProvider<ScanCredentialService> scanCredentials) {
        this.scanCredentials = scanCredentials;
        this.logins = logins;
        this.tokens = tokens;
        this.users = users;
        this.robots = robots;
    }

    /**
     * No observation of each security filter, authentication and authorization decision (Spring
     * Security observes them all when an {@code ObservationRegistry} exists, and Micrometer turned that
     * into some thirty {@code spring_security_*} series). Every registry request passes a dozen filters:
     * wrapping each in an observation was a visible share of a pull's server CPU (issue 13,
     * {@code bench/README.md}). Requests are still observed as a whole ({@code http_server_requests}).
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @Order(1)
    SecurityFilterChain registryChain(HttpSecurity http, AccessPolicy policy, ObjectProvider<ProjectService> projects,
                                      PlatformProperties platform, AuthProperties auth, ScanProperties scanning)
        throws Exception {
        RegistryChallenge challenge = new RegistryChallenge(platform, auth, scanning);
        stateless(http.securityMatcher(pathPattern(V2Route.INTERNAL + "**")));
        http.addFilterBefore(credentials(CredentialsConverter.registry(), WharfAuthenticationProvider.Mode.PER_REQUEST, challenge),
                AnonymousAuthenticationFilter.class)
            .authorizeHttpRequests(a -> a.anyRequest().access(new RegistryAuthorization(policy, projects)))
            .exceptionHandling(e -> e.authenticationEntryPoint(challenge).accessDeniedHandler(challenge));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain tokenChain(HttpSecurity http, ObjectProvider<MirrorRouting> mirror) throws Exception {
        BasicChallenge challenge = new BasicChallenge();
        stateless(http.securityMatcher(pathPattern("/service/token")));
        AuthenticationFilter credentials = credentials(CredentialsConverter.tokenEndpoint(), WharfAuthenticationProvider.Mode.LOGIN, challenge);
        http.addFilterBefore(credentials, AnonymousAuthenticationFilter.class)
            .addFilterBefore(new ForeignCredentialsFilter(CredentialsConverter.tokenEndpoint(),
                new ProviderManager(provider(WharfAuthenticationProvider.Mode.LOGIN)), mirror, TokenController::scopes),
                AuthenticationFilter.class)
            .authorizeHttpRequests(a -> a.anyRequest().permitAll())
            .exceptionHandling(e -> e.authenticationEntryPoint(challenge));
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain apiChain(HttpSecurity http) throws Exception {
        BasicChallenge challenge = new BasicChallenge();
        // CSRF guards what rides on ambient authority: the session cookie, or Basic credentials a browser
        // remembered and sends by itself on a cross-site request (Sec-Fetch-Site says so). Scripts with
        // their own credentials, and calls without any session, need no token.
        RequestMatcher sessionCalls = request -> !Set.of("GET", "HEAD", "OPTIONS", "TRACE").contains(request.getMethod())
            && ((request.getHeader(HttpHeaders.AUTHORIZATION) == null && request.getRequestedSessionId() != null)
                || "cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site")));
        http.securityMatcher(pathPattern("/api/**"))
            .addFilterAfter(new SessionCallerFilter(logins), SecurityContextHolderFilter.class)
            .addFilterBefore(credentials(CredentialsConverter.basicOnly(), WharfAuthenticationProvider.Mode.API, challenge),
                AnonymousAuthenticationFilter.class)
            .anonymous(a -> a.authenticationFilter(new CallerAnonymousFilter()))
            .httpBasic(b -> b.disable())
            .formLogin(f -> f.disable())
            .requestCache(c -> c.disable())
            .csrf(c -> c.spa().csrfTokenRepository(csrfTokens()).requireCsrfProtectionMatcher(sessionCalls))
            // Swagger UI is static content with no use case behind it: the chain admits system administrators only
            .authorizeHttpRequests(a -> a.requestMatchers(pathPattern("/api/v2.0/swagger-ui/**"), pathPattern("/api/v2.0/swagger-ui.html"))
                .access((authentication, context) -> new AuthorizationDecision(sysadmin(authentication.get())))
                .anyRequest().permitAll())
            .exceptionHandling(e -> e.authenticationEntryPoint(challenge).accessDeniedHandler((request, response, denied) -> {
                if (denied instanceof CsrfException) {
                    ErrorResponses.write(request, response, ErrorCode.DENIED, 403, "CSRF token missing or invalid", new HttpHeaders());
                } else if (!authenticated(SecurityContextHolder.getContext().getAuthentication())) {
                    challenge.commence(request, response, new InsufficientAuthenticationException("authentication required"));
                } else {
                    ErrorResponses.write(request, response, ErrorCode.DENIED, 403, "only system administrators can do this", new HttpHeaders());
                }
            }));
        return http.build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain metricsChain(HttpSecurity http, MetricsProperties metrics) throws Exception {
        MetricsTokenAuthorization token = new MetricsTokenAuthorization(metrics);
        stateless(http.securityMatcher(pathPattern("/metrics")));
        http.authorizeHttpRequests(a -> a.anyRequest().access(token))
            .exceptionHandling(e -> e.authenticationEntryPoint(token).accessDeniedHandler(token));
        return http.build();
    }

    @Bean
    @Order(5)
    SecurityFilterChain actuatorChain(HttpSecurity http) throws Exception {
        stateless(http.securityMatcher(pathPattern("/actuator/**")));
        http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    @Order(6)
    SecurityFilterChain consoleChain(HttpSecurity http) throws Exception {
        http.authenticationManager(new ProviderManager(provider(WharfAuthenticationProvider.Mode.CONSOLE)))
            .addFilterAfter(new SessionCallerFilter(logins), SecurityContextHolderFilter.class)
            .anonymous(a -> a.authenticationFilter(new CallerAnonymousFilter()))
            // the console's own page (platform-web); after login the page first asked for, else the dashboard
            .formLogin(f -> f.loginPage(LOGIN_PAGE).defaultSuccessUrl("/", false).permitAll())
            .logout(l -> l.logoutSuccessUrl(LOGIN_PAGE + "?logout"))
            .csrf(c -> c.spa().csrfTokenRepository(csrfTokens()))
            // deny by default: every console page needs a login; the login page, the static assets and
            // the error page (forwards from the container) stay open
            .authorizeHttpRequests(a -> a
                .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                .requestMatchers(pathPattern(LOGIN_PAGE), pathPattern("/static/**"), pathPattern("/favicon.ico"),
                    pathPattern("/error")).permitAll()
                .anyRequest().authenticated());
        return http.build();
    }

    /** The CSRF token cookie the console's scripts read ({@code XSRF-TOKEN}), not sent on cross-site requests. */
    private static CookieCsrfTokenRepository csrfTokens() {
        CookieCsrfTokenRepository tokens = CookieCsrfTokenRepository.withHttpOnlyFalse();
        tokens.setCookieCustomizer(cookie -> cookie.sameSite("Lax"));
        return tokens;
    }

    /** Whether the authenticated caller is a system administrator. */
    private static boolean sysadmin(@Nullable Authentication authentication) {
        return authentication != null && authentication.getPrincipal() instanceof Caller caller
            && !caller.isAnonymous() && caller.principal().sysadmin();
    }

    /** Whether the request carries an identity at all (anonymous callers are challenged instead of refused). */
    private static boolean authenticated(@Nullable Authentication authentication) {
        return authentication != null && authentication.getPrincipal() instanceof Caller caller && !caller.isAnonymous();
    }

    /** The common settings of the machine-facing surfaces: no session, no CSRF, no login page, anonymous callers. */
    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            // blobs set their own Cache-Control (immutable by digest); tokens say no-store themselves
            .headers(h -> h.cacheControl(c -> c.disable()))
            .csrf(c -> c.disable())
            .httpBasic(b -> b.disable())
            .formLogin(f -> f.disable())
            .logout(l -> l.disable())
            .requestCache(c -> c.disable())
            .anonymous(a -> a.authenticationFilter(new CallerAnonymousFilter()));
    }

    /**
     * Spring's generic authentication filter for one surface: the surface's converter, the provider
     * in the surface's mode, and the surface's challenge on failure; on success the request goes on.
     */
    private AuthenticationFilter credentials(AuthenticationConverter converter, WharfAuthenticationProvider.Mode mode,
                                             AuthenticationEntryPoint challenge) {
        AuthenticationFilter filter = new AuthenticationFilter(new ProviderManager(provider(mode)), converter);
        filter.setSuccessHandler((request, response, authentication) -> { });
        filter.setFailureHandler(new AuthenticationEntryPointFailureHandler(challenge));
        return filter;
    }

    private WharfAuthenticationProvider provider(WharfAuthenticationProvider.Mode mode) {
        return new WharfAuthenticationProvider(logins, tokens, users, robots, scanCredentials, mode);
    }
}
