package io.wharf.scanner.registration;

import io.wharf.scanner.client.AuthType;
import org.jspecify.annotations.Nullable;

/**
 * What an administrator gives to create or change a registration, or to ping an adapter.
 *
 * @param credential the credential for {@code auth}; on an update, null keeps the stored one
 */
public record RegistrationSpec(String name, @Nullable String description, String url, AuthType auth,
                               @Nullable String credential, boolean skipCertVerify, boolean useInternalAddr,
                               boolean disabled) {

    @Override
    public String toString() {
        return "RegistrationSpec[" + name + ", " + url + ", auth=" + auth.id() + "]"; // never the credential
    }
}
