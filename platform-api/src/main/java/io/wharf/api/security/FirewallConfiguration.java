package io.wharf.api.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's request firewall, strict except for one thing Harbor's API needs: an encoded
 * percent ({@code %25}), because repository names with {@code /} arrive double URL-encoded in
 * {@code /api} paths ({@code team/app/api} as {@code /projects/team/repositories/app%252Fapi}).
 * Encoded slashes, dots and the rest stay refused; {@code /v2} names are validated before
 * security runs ({@code V2RouteFilter}).
 */
@Configuration(proxyBeanMethods = false)
class FirewallConfiguration {

    @Bean
    WebSecurityCustomizer doubleEncodedRepositoryNames() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowUrlEncodedPercent(true);
        return web -> web.httpFirewall(firewall);
    }
}
