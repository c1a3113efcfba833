package io.wharf.core.registry.metadata;

import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;

/**
 * A cached manifest of a proxy-cache project that nobody pulled for a while and nothing keeps: a
 * candidate for expiry ({@link ManifestStore#idleCached}).
 *
 * @param id the manifest's id, the order candidates are listed in
 */
public record IdleManifest(long id, RepositoryName repository, Digest digest) {
}
