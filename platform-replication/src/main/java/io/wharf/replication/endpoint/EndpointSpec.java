package io.wharf.replication.endpoint;

import org.jspecify.annotations.Nullable;

/**
 * What an administrator gives to create or change an endpoint, or to test one before saving it.
 *
 * @param accessKey    the user name; null or empty for anonymous access
 * @param accessSecret the password or token; on an update, null keeps the stored one
 */
public record EndpointSpec(String name, EndpointType type, String url, @Nullable String accessKey,
                           @Nullable String accessSecret, boolean insecure, @Nullable String description) {
}
