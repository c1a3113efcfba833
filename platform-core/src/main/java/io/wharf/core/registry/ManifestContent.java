package io.wharf.core.registry;

import io.wharf.core.registry.metadata.ManifestInfo;

/** A manifest as served: its index entry and its exact bytes. */
public record ManifestContent(ManifestInfo info, byte[] content) {
}
