package io.wharf.core.storage;

import io.wharf.core.registry.digest.Digest;

/** A verified blob: its digest and size in bytes. */
public record BlobInfo(Digest digest, long size) {
}
