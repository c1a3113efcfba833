package io.wharf.api.security;

import io.wharf.api.error.ErrorResponses;
import io.wharf.core.error.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

import java.io.IOException;

/**
 * 401 with {@code WWW-Authenticate: Basic realm="wharf"} in the surface's error format (Harbor's on
 * {@code /api}, OCI's on {@code /service/token}): bad credentials, or the wrong kind of credentials.
 */
final class BasicChallenge implements AuthenticationEntryPoint {

    /** The challenge header value. */
    static final String HEADER = "Basic realm=\"wharf\"";

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
        throws IOException {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, HEADER);
        ErrorResponses.write(request, response, ErrorCode.UNAUTHORIZED, 401, failure.getMessage(), headers);
    }
}
