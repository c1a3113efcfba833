package io.wharf.api.security;

import io.wharf.api.error.ErrorResponses;
import io.wharf.core.error.ErrorCode;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

import java.io.IOException;
import java.util.Locale;

/**
 * Spring Security's request firewall, strict except for one thing Harbor's API needs: an encoded
 * percent ({@code %25}), because repository names with {@code /} arrive double URL-encoded in
 * {@code /api} paths ({@code team/app/api} as {@code /projects/team/repositories/app%252Fapi}).
 * Encoded slashes, dots and the rest stay refused; {@code /v2} names are validated before
 * security runs ({@code V2RouteFilter}).
 *
 * <p>What the firewall refuses under {@code /api} is answered in Harbor's error format by
 * {@link #rejectApiRequest}: a single-encoded slash ({@code app%2Fapi}) with 404 {@code NOT_FOUND},
 * as Harbor does (its proxy decodes the slash, and the path then has one segment more than any
 * route), anything else with 400. Elsewhere (the console) the container's error handling answers, as before.
 */
@Configuration(proxyBeanMethods = false)
class FirewallConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FirewallConfiguration.class);
    private static final RequestRejectedHandler CONTAINER = new HttpStatusRequestRejectedHandler();

    @Bean
    WebSecurityCustomizer doubleEncodedRepositoryNames() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowUrlEncodedPercent(true);
        return web -> web.httpFirewall(firewall).requestRejectedHandler(FirewallConfiguration::rejectApiRequest);
    }

    /** Answers a refused request: in Harbor's format under {@code /api}, else as Spring Security does (a 400 the container reports). */
    static void rejectApiRequest(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
        throws IOException, ServletException {
        String uri = request.getRequestURI();
        if (!ErrorResponses.isHarborPath(uri, request.getContextPath())) {
            CONTAINER.handle(request, response, rejected);
            return;
        }
        log.debug("refused {} {}: {}", request.getMethod(), uri, rejected.getMessage());
        if (uri.toLowerCase(Locale.ROOT).contains("%2f")) {
            ErrorResponses.write(request, response, ErrorCode.NOT_FOUND, 404,
                "no such resource: a path segment holds an encoded slash (%2F); encode a repository name's slashes twice (%252F)",
                new HttpHeaders());
        } else {
            ErrorResponses.write(request, response, ErrorCode.INVALID_ARGUMENT, 400, rejected.getMessage(), new HttpHeaders());
        }
    }
}
