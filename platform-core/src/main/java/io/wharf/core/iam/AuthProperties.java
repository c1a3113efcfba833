package io.wharf.core.iam;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code wharf.auth.*}: logins and registry tokens.
 *
 * @param maxFailedLogins   failed logins of one name within {@code failureWindow} that lock it
 * @param failureWindow     the window failed logins are counted in
 * @param lockoutDuration   how long a locked name stays locked
 * @param service           the token service name ({@code service=} of challenges and the {@code aud} claim)
 * @param issuer            the {@code iss} claim
 * @param tokenExpiration   registry token lifetime
 * @param refreshExpiration refresh (offline) token lifetime
 * @param privateKey        a PEM PKCS#8 RSA private key to sign tokens with; when empty a key is
 *                          created on first start and kept in the database, shared by every node
 */
@ConfigurationProperties("wharf.auth")
public record AuthProperties(
        @DefaultValue("5") int maxFailedLogins,
        @DefaultValue("15m") Duration failureWindow,
        @DefaultValue("15m") Duration lockoutDuration,
        @DefaultValue("wharf") String service,
        @DefaultValue("wharf-token-issuer") String issuer,
        @DefaultValue("30m") Duration tokenExpiration,
        @DefaultValue("30d") Duration refreshExpiration,
        @Nullable String privateKey) {
}
