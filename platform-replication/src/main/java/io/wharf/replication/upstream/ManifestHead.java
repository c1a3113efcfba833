package io.wharf.replication.upstream;

import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

/**
 * What a manifest HEAD tells: enough to compare with a local copy without spending a pull (R7, R27).
 *
 * @param digest    the {@code Docker-Content-Digest}, or null when the upstream sends none (then GET)
 * @param mediaType the {@code Content-Type}
 * @param size      the {@code Content-Length}, or -1 when absent
 */
public record ManifestHead(@Nullable Digest digest, String mediaType, long size) {
}
