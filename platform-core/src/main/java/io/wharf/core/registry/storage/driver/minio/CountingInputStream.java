package io.wharf.core.registry.storage.driver.minio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Counts the bytes read through it, and turns an {@link UncheckedIOException} of the wrapped
 * stream (as a {@link java.io.SequenceInputStream} over lazily opened streams throws) back into
 * its {@link IOException}, which the MinIO client passes on as it is. Closing it leaves the
 * wrapped stream open; mark and reset are not supported.
 */
final class CountingInputStream extends InputStream {

    private final InputStream in;
    private long count;

    CountingInputStream(InputStream in) {
        this.in = in;
    }

    /** The number of bytes read (or skipped) so far. */
    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }
}
