package io.wharf.web.console;

import io.wharf.core.PlatformProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import java.net.URI;

/**
 * The registry's address as clients type it in {@code docker login} and image names: the host and
 * port of {@code wharf.external-url} when set, else of the request the page answers.
 */
@Component
public class RegistryAddress {

    private final PlatformProperties platform;

    RegistryAddress(PlatformProperties platform) {
        this.platform = platform;
    }

    /** The address, e.g. {@code registry.example.com} or {@code localhost:5000}. */
    public String of(HttpServletRequest request) {
        String external = platform.externalUrl();
        if (external != null && !external.isBlank()) {
            URI uri = URI.create(external.strip());
            if (uri.getRawAuthority() != null) {
                return uri.getRawAuthority();
            }
        }
        String host = request.getHeader(HttpHeaders.HOST);
        return host == null || host.isBlank() ? request.getServerName() + ":" + request.getServerPort() : host;
    }
}
