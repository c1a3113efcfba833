package io.wharf.api.security;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** What a request's {@code Authorization} header carries. */
public record Credentials(Type type, String username, String secret) {

    /** Basic (username and password or robot secret) or Bearer (a token, in {@code secret}). */
    public enum Type { BASIC, BEARER }

    /** The request's credentials, or null when it has none or they are unreadable. */
    public static @Nullable Credentials of(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return null;
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Credentials(Type.BEARER, "", header.substring(7).trim());
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    return new Credentials(Type.BASIC, decoded.substring(0, colon), decoded.substring(colon + 1));
                }
            } catch (IllegalArgumentException malformed) {
                return null;
            }
        }
        return null;
    }
}
