package io.wharf.replication.endpoint;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.OffsetDateTime;

/**
 * A remote registry as the API shows it: never its secret, only whether one is stored.
 *
 * @param accessKey the user name, or null for anonymous access
 * @param hasSecret whether a password or token is stored (encrypted)
 * @param insecure  whether TLS certificates are not verified
 */
public record RegistryEndpoint(long id, String name, EndpointType type, URI url, @Nullable String accessKey,
                               boolean hasSecret, boolean insecure, @Nullable String description,
                               OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
