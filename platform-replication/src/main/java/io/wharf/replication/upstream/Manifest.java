package io.wharf.replication.upstream;

import io.wharf.core.registry.digest.Digest;

/**
 * A manifest as fetched: its bytes exactly as sent, their media type, and their digest computed here.
 *
 * @param bytes     the body, byte for byte (the array is the caller's; it is not copied)
 * @param mediaType the {@code Content-Type} without parameters
 * @param digest    the sha256 of {@code bytes} (for a request by digest: that digest, verified)
 */
public record Manifest(byte[] bytes, String mediaType, Digest digest) {

    /** The size in bytes. */
    public long size() {
        return bytes.length;
    }
}
