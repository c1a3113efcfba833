package io.wharf.core.storage.driver.minio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Counts the bytes read through it, and turns an {@link UncheckedIOException} of the wrapped
 * stream (as a {@link java.io.SequenceInputStream} over lazily opened streams throws) back into
 * its {@link IOException}, which the MinIO client passes on as it is. Any other unchecked exception
 * of the wrapped stream is kept ({@link #failure()}) so the driver can rethrow it unchanged. Closing it leaves the
 * wrapped stream open; mark and reset are not supported.
 */
final class CountingInputStream extends InputStream {

    private final InputStream in;
    private long count;
    private RuntimeException failure;

    CountingInputStream(InputStream in) {
        this.in = in;
    }

    /** The unchecked exception the wrapped stream threw, if any (the client sees it as an I/O failure). */
    RuntimeException failure() {
        return failure;
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
        } catch (RuntimeException e) {
            failure = e;
            throw new IOException(e);
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
        } catch (RuntimeException e) {
            failure = e;
            throw new IOException(e);
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }
}
