package io.wharf.scanner.client;

import org.jspecify.annotations.Nullable;

import java.net.URI;

/**
 * Where an adapter is and how to reach it.
 *
 * @param url            the adapter's base URL; the API is under {@code <url>/api/v1}
 * @param auth           how to authenticate
 * @param credential     the credential for {@code auth}; null or empty for {@link AuthType#NONE}
 * @param skipCertVerify whether TLS certificates (and host names) are not verified
 */
public record AdapterEndpoint(URI url, AuthType auth, @Nullable String credential, boolean skipCertVerify) {

    @Override
    public String toString() {
        return "AdapterEndpoint[" + url + ", auth=" + auth.id() + "]"; // never the credential
    }
}
