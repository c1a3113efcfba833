package io.wharf.core.registry;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code wharf.registry.*}: behaviour of the OCI distribution endpoints.
 *
 * @param maxManifestSize     the largest manifest body accepted, in bytes (4 MiB)
 * @param deleteEnabled       whether manifests, tags and blobs may be deleted; when false those
 *                            requests answer 405 {@code UNSUPPORTED}
 * @param uploadTtl           upload sessions untouched for this long are purged with their data
 * @param uploadPurgeInterval how often the purge runs
 */
@ConfigurationProperties("wharf.registry")
public record RegistryProperties(
        @DefaultValue("4194304") long maxManifestSize,
        @DefaultValue("true") boolean deleteEnabled,
        @DefaultValue("24h") Duration uploadTtl,
        @DefaultValue("15m") Duration uploadPurgeInterval) {
}
