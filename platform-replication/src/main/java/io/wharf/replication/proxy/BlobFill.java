package io.wharf.replication.proxy;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.PullThrough;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.storage.BlobInfo;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One blob downloading into a proxy cache, readable while it arrives (docs/proxy.md, "Reads"). The
 * upstream stream is read once, by the blob store's ingest (which verifies the digest and stores it);
 * on its way, every chunk is appended to a spool file, and any number of readers follow that file
 * from their own offset, blocking until the bytes they want have arrived. So the first client gets
 * the bytes as fast as the upstream sends them, every client that asks during the download joins it
 * (one upstream GET, however many), and the download goes on when clients go away.
 *
 * <p>Nothing unverified is served whole: readers get every byte but the last until the store has
 * verified the digest, and an error instead of it when the content does not match. The spool is
 * deleted when the download has ended and the last reader has closed; later readers read the cache.
 * Other repositories that asked for the blob during the download are linked when it is stored.
 */
final class BlobFill implements PullThrough.Arriving {

    private final BlobInfo blob;
    private final Path spool;
    private final Set<RepositoryName> joined = new LinkedHashSet<>();
    // all guarded by this
    private long written;
    private boolean linking;
    private boolean verified;
    private RuntimeException failure;
    private int readers;
    private boolean spoolDeleted;

    BlobFill(BlobInfo blob, Path spoolDirectory) {
        this.blob = blob;
        try {
            Files.createDirectories(spoolDirectory);
            this.spool = Files.createTempFile(spoolDirectory, "fill-", ".spool");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a spool file in " + spoolDirectory, e);
        }
    }

    @Override
    public BlobInfo blob() {
        return blob;
    }

    /**
     * Adds {@code repository} to those linked when the blob is stored. A repository already among
     * them joins at any time until the download fails.
     *
     * @return false when the download failed, or got past linking and {@code repository} is not among
     *         those it links: then ask again
     */
    synchronized boolean join(RepositoryName repository) {
        if (failure != null) {
            return false;
        }
        if (linking) {
            return joined.contains(repository);
        }
        joined.add(repository);
        return true;
    }

    /** The repositories that joined; none may join after this. */
    synchronized List<RepositoryName> startLinking() {
        linking = true;
        return List.copyOf(joined);
    }

    /** The upstream stream as the store reads it: each chunk read is also appended to the spool. */
    InputStream tee(InputStream upstream) throws IOException {
        OutputStream out = Files.newOutputStream(spool, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return new FilterInputStream(upstream) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    out.write(b, off, n);
                    arrived(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                return read(new byte[(int) Math.min(n, 8192)]); // skipped bytes must reach the spool too
            }

            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    out.close();
                }
            }
        };
    }

    private synchronized void arrived(long n) {
        written += n;
        notifyAll();
    }

    /** The store verified and holds the blob: readers get the rest. */
    synchronized void succeeded() {
        verified = true;
        notifyAll();
        deleteSpoolWhenUnused();
    }

    /** The download or its verification failed: readers fail, nothing was stored. */
    synchronized void failed(RuntimeException cause) {
        failure = cause;
        notifyAll();
        deleteSpoolWhenUnused();
    }

    /**
     * {@inheritDoc}
     *
     * @throws PlatformException {@link ErrorCode#BLOB_UNKNOWN} when the download failed
     */
    @Override
    public synchronized Optional<InputStream> open(long offset) {
        if (failure != null) {
            throw new PlatformException(ErrorCode.BLOB_UNKNOWN,
                blob.digest() + " could not be fetched from the upstream registry (" + failure.getMessage() + ")");
        }
        if (spoolDeleted) {
            return Optional.empty();
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(spool, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        readers++;
        return Optional.of(new Follower(channel, offset));
    }

    /** Removes the spool of a fill that never started (another one for the same blob did). */
    synchronized void discard() {
        failure = new IllegalStateException("discarded");
        deleteSpoolWhenUnused();
    }

    private void deleteSpoolWhenUnused() {
        if ((verified || failure != null) && readers == 0 && !spoolDeleted) {
            spoolDeleted = true;
            try {
                Files.deleteIfExists(spool);
            } catch (IOException ignored) {
                // a temporary file, in a directory of temporary files
            }
        }
    }

    /**
     * How many bytes from {@code position} may be read now, waiting until there is at least one;
     * -1 at the end.
     */
    private synchronized long readable(long position) throws IOException {
        while (true) {
            if (failure != null) {
                throw new IOException(blob.digest() + " could not be fetched: " + failure.getMessage(), failure);
            }
            long limit = verified ? written : written - 1; // the last byte waits for the digest
            if (position < limit) {
                return limit - position;
            }
            if (verified) {
                return -1;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while " + blob.digest() + " downloads");
            }
        }
    }

    private synchronized void closed() {
        readers--;
        deleteSpoolWhenUnused();
    }

    /** A reader of the spool from its own offset. */
    private final class Follower extends InputStream {
        private final FileChannel channel;
        private long position;
        private boolean closed;

        Follower(FileChannel channel, long offset) {
            this.channel = channel;
            this.position = offset;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long readable = readable(position);
            if (readable < 0) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, readable)), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                try {
                    channel.close();
                } finally {
                    closed();
                }
            }
        }
    }
}
