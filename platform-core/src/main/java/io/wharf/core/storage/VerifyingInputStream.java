package io.wharf.core.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Feeds the bytes read through it to a digest and counts them; once more than {@code limit} bytes
 * arrive it fails with {@link TooLong}, so an oversized stream is cut off instead of stored. Closing
 * it leaves the wrapped stream open (it belongs to the caller of {@link BlobStore#ingest}).
 */
final class VerifyingInputStream extends FilterInputStream {

    /** Thrown when the stream yields more bytes than the caller expected. */
    static final class TooLong extends IOException {
        TooLong(long limit) {
            super("the content is longer than the expected " + limit + " bytes");
        }
    }

    private final MessageDigest digest;
    private final long limit;
    private long count;

    VerifyingInputStream(InputStream in, MessageDigest digest, long limit) {
        super(in);
        this.digest = digest;
        this.limit = limit;
    }

    long count() {
        return count;
    }

    MessageDigest digest() {
        return digest;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            digest.update((byte) b);
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // every byte must be hashed: skipping reads through the digest
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 0))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // the caller owns the wrapped stream
    }

    private void counted(int n) throws TooLong {
        count += n;
        if (count > limit) {
            throw new TooLong(limit);
        }
    }
}
