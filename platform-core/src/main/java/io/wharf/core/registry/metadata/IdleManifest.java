package io.wharf.core.registry.metadata;

import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;

/**
 * A manifest that a sweep may delete because nothing keeps it: a cached manifest of a proxy-cache
 * project nobody pulled for a while ({@link ManifestStore#idleCached}), or an untagged one for garbage
 * collection ({@link ManifestStore#untagged}).
 *
 * @param id the manifest's id, the order candidates are listed in
 */
public record IdleManifest(long id, RepositoryName repository, Digest digest) {
}
