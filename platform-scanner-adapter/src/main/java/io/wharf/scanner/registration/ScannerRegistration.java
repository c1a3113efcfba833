package io.wharf.scanner.registration;

import io.wharf.scanner.client.AuthType;
import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.OffsetDateTime;

/**
 * A scanner registration as the API shows it: never its credential, only whether one is stored.
 *
 * @param uuid          the registration's public id
 * @param hasCredential whether a credential is stored (encrypted)
 * @param adapter       the adapter's scanner name from its metadata when last fetched, or null
 * @param vendor        the scanner's vendor from the same metadata, or null
 * @param version       the scanner's version from the same metadata, or null
 */
public record ScannerRegistration(String uuid, String name, @Nullable String description, URI url, AuthType auth,
                                  boolean hasCredential, boolean skipCertVerify, boolean useInternalAddr, boolean disabled,
                                  boolean isDefault, @Nullable String adapter, @Nullable String vendor,
                                  @Nullable String version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
