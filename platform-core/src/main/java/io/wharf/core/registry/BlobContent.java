package io.wharf.core.registry;

import io.wharf.core.storage.BlobInfo;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * How to send a blob (or one range of it) that {@link RegistryService#readBlob} found: a redirect,
 * a local file, or a stream; or that the requested range lies outside the blob.
 */
public sealed interface BlobContent {

    /** The blob: its digest and total size. */
    BlobInfo blob();

    /**
     * The bytes to send.
     *
     * @param offset  the first byte, 0 for the whole blob
     * @param length  the number of bytes
     * @param partial whether a range was asked for and is served (206 with {@code Content-Range})
     */
    record Slice(long offset, long length, boolean partial) {

        /** The last byte sent, inclusive. */
        public long last() {
            return offset + length - 1;
        }
    }

    /** The client fetches the blob from {@code url} itself (a presigned URL); the range goes with it. */
    record Redirect(BlobInfo blob, String url) implements BlobContent {
    }

    /** The requested range starts past the end of the blob (416). */
    record Unsatisfiable(BlobInfo blob) implements BlobContent {
    }

    /** The bytes are in a local {@code file}, for a zero-copy send (sendfile) or reading it directly. */
    record LocalFile(BlobInfo blob, Slice slice, Path file) implements BlobContent {
    }

    /**
     * The bytes of {@code slice}, already positioned at its offset. The caller reads {@code slice.length()}
     * bytes and closes the stream.
     */
    record Streamed(BlobInfo blob, Slice slice, InputStream content) implements BlobContent {
    }
}
