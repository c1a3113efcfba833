package io.wharf.api.security;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;

/** A 401 that tells the client how to authenticate ({@code WWW-Authenticate}). */
public class AuthenticationChallenge extends PlatformException {

    private final String challenge;

    public AuthenticationChallenge(String challenge, String detail) {
        super(ErrorCode.UNAUTHORIZED, detail);
        this.challenge = challenge;
    }

    /** The {@code WWW-Authenticate} header value. */
    public String challenge() {
        return challenge;
    }
}
