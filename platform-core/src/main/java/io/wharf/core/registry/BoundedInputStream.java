package io.wharf.core.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes at most {@code limit} bytes through and fails the read that would pass more: an upload chunk
 * is cut off as soon as it no longer fits in the project's quota, so the rest of it is never stored.
 * Closing it does not close the request body underneath, which belongs to the caller.
 */
final class BoundedInputStream extends FilterInputStream {

    private final long limit;
    private long count;
    private boolean exceeded;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    /** Whether more than {@code limit} bytes came. */
    boolean exceeded() {
        return exceeded;
    }

    /** The bytes read so far, the one over the limit included. */
    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            passed(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, (int) Math.min(len, Math.max(1, limit - count + 1)));
        if (n > 0) {
            passed(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skipping is not supported");
    }

    @Override
    public void close() {
        // the request body belongs to the caller
    }

    private void passed(long n) throws IOException {
        count += n;
        if (count > limit) {
            exceeded = true;
            throw new IOException("more than " + limit + " bytes");
        }
    }
}
