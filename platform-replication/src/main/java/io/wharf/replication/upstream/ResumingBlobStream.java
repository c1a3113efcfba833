package io.wharf.replication.upstream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A blob body that survives broken reads (R12): when the connection fails, or ends before the
 * announced size, the blob is asked for again from the current position with {@code Range: bytes=N-},
 * up to a number of times. It holds one buffer-free connection at a time; the caller verifies the
 * digest.
 */
final class ResumingBlobStream extends InputStream {

    /** Opens the blob at an offset (through the registry again, for a fresh CDN redirect). */
    @FunctionalInterface
    interface Opener {
        InputStream open(long offset);
    }

    private final Opener opener;
    private final long size;
    private final int maxResumes;
    private final UpstreamState state;
    private InputStream current;
    private long position;
    private int resumes;

    /** @param size the blob's size, or -1 when unknown (then only I/O errors count as broken reads) */
    ResumingBlobStream(Opener opener, long size, int maxResumes, UpstreamState state) {
        this.opener = opener;
        this.size = size;
        this.maxResumes = maxResumes;
        this.state = state;
        this.current = opener.open(0);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (true) {
            try {
                int n = current.read(buffer, offset, length);
                if (n < 0) {
                    if (size >= 0 && position < size) {
                        throw new EOFException("blob body ended at byte " + position + " of " + size);
                    }
                    return -1;
                }
                position += n;
                state.countBlobBytes(n);
                return n;
            } catch (IOException e) {
                resume(e);
            }
        }
    }

    private void resume(IOException failure) throws IOException {
        if (resumes >= maxResumes) {
            throw failure;
        }
        resumes++;
        closeQuietly(current);
        try {
            current = opener.open(position);
        } catch (UpstreamException e) {
            failure.addSuppressed(e);
            throw failure;
        }
    }

    /** How often the read was resumed. */
    int resumes() {
        return resumes;
    }

    @Override
    public void close() throws IOException {
        current.close();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the broken connection is dropped either way
        }
    }
}
