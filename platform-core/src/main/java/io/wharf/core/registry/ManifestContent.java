package io.wharf.core.registry;

import io.wharf.core.registry.storage.ManifestInfo;

/** A manifest as served: its index entry and its exact bytes. */
public record ManifestContent(ManifestInfo info, byte[] content) {
}
