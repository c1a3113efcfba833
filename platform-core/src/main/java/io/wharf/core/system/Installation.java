package io.wharf.core.system;

import org.jspecify.annotations.Nullable;

/**
 * This installation as its administrators see it; no secrets.
 *
 * @param version         Wharf's version, or {@code development} when run without build information
 * @param buildTime       when this version was built, ISO-8601, when known
 * @param storageDriver   {@code filesystem} or {@code minio}
 * @param storageLocation the filesystem root or the MinIO endpoint and bucket, when configured
 * @param database        the database product and version, e.g. {@code PostgreSQL 15.8}
 * @param java            the Java runtime's version
 * @param externalUrl     {@code wharf.external-url}, when set
 */
public record Installation(String version, @Nullable String buildTime, String storageDriver, @Nullable String storageLocation,
                         String database, String java, @Nullable String externalUrl) {
}
