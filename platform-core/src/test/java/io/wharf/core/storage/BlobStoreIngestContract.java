package io.wharf.core.storage;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.driver.StorageDriver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionOperations;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * {@link BlobStore#ingest}: streamed, verified, atomic; extended once per storage driver. The
 * {@code blob} table is a map behind a mocked {@link BlobRepository}.
 */
public abstract class BlobStoreIngestContract {

    protected static final int MIB = 1024 * 1024;

    protected StorageDriver driver;
    protected BlobStore store;
    protected final Map<String, Long> rows = new ConcurrentHashMap<>();

    /** The driver under test, empty. */
    protected abstract StorageDriver driver() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        driver = driver();
        BlobRepository blobs = mock(BlobRepository.class);
        when(blobs.findById(anyString())).thenAnswer(call -> {
            String digest = call.getArgument(0);
            return Optional.ofNullable(rows.get(digest)).map(size -> new BlobEntity(digest, size, OffsetDateTime.now()));
        });
        when(blobs.insertIfAbsent(anyString(), anyLong(), any())).thenAnswer(call ->
            rows.putIfAbsent(call.getArgument(0), call.getArgument(1)) == null ? 1 : 0);
        when(blobs.mark(anyString(), any())).thenAnswer(call -> rows.containsKey(call.<String>getArgument(0)) ? 1 : 0);
        store = new BlobStore(driver, blobs, Clock.systemUTC(), TransactionOperations.withoutTransaction());
    }

    @Test
    void storesContentWhoseDigestMatches() throws IOException {
        byte[] content = "layer bytes".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);

        BlobInfo blob = store.ingest(digest, new ByteArrayInputStream(content));

        assertThat(blob).isEqualTo(new BlobInfo(digest, content.length));
        assertThat(store.stat(digest)).contains(blob);
        assertThat(store.read(digest)).isEqualTo(content);
        assertThat(driver.list("ingest")).isEmpty();
    }

    @Test
    void checksTheExpectedSize() {
        byte[] content = "sized".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);

        assertThat(store.ingest(digest, 5L, new ByteArrayInputStream(content)).size()).isEqualTo(5);
    }

    @Test
    void storesEmptyContent() {
        Digest digest = Digest.sha256(new byte[0]);

        assertThat(store.ingest(digest, 0L, InputStream.nullInputStream())).isEqualTo(new BlobInfo(digest, 0));
        assertThat(store.read(digest)).isEmpty();
    }

    @Test
    void leavesNothingBehindWhenTheDigestDiffers() throws IOException {
        Digest claimed = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.ingest(claimed, new ByteArrayInputStream(new byte[3 * MIB])))
            .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID));

        assertNothingStored(claimed);
    }

    @Test
    void leavesNothingBehindWhenTheSizeDiffers() throws IOException {
        byte[] content = new byte[2 * MIB];
        Digest digest = Digest.sha256(content);

        assertThatThrownBy(() -> store.ingest(digest, (long) content.length + 1, new ByteArrayInputStream(content)))
            .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SIZE_INVALID));
        CountingStream longer = new CountingStream(new GeneratedStream(64L * MIB));
        assertThatThrownBy(() -> store.ingest(digest, 100L, longer))
            .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SIZE_INVALID));

        assertThat(longer.count).as("a longer stream is cut off early").isLessThan(8L * MIB);
        assertNothingStored(digest);
    }

    @Test
    void leavesNothingBehindWhenTheStreamFails() throws IOException {
        Digest digest = Digest.sha256(new byte[1]);
        InputStream failing = new InputStream() {
            private final InputStream bytes = new GeneratedStream(100_000);

            @Override
            public int read() throws IOException {
                return read(new byte[1], 0, 1);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = bytes.read(b, off, len);
                if (n < 0) {
                    throw new IOException("connection reset");
                }
                return n;
            }
        };

        assertThatThrownBy(() -> store.ingest(digest, failing)).isInstanceOf(UncheckedIOException.class);

        assertNothingStored(digest);
    }

    @Test
    void doesNotReadContentOfABlobThatExists() {
        byte[] content = "already here".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        store.ingest(digest, new ByteArrayInputStream(content));
        CountingStream again = new CountingStream(new ByteArrayInputStream(content));

        assertThat(store.ingest(digest, (long) content.length, again)).isEqualTo(new BlobInfo(digest, content.length));
        assertThat(again.count).isZero();
        assertThatThrownBy(() -> store.ingest(digest, 1L, InputStream.nullInputStream()))
            .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SIZE_INVALID));
    }

    /** Ingests a generated stream of {@code size} bytes, never held in memory by the test either. */
    protected void ingestsAGeneratedStream(long size) throws IOException {
        Digest digest = GeneratedStream.digest(size);
        CountingStream content = new CountingStream(new GeneratedStream(size));

        BlobInfo blob = store.ingest(digest, size, content);

        assertThat(blob).isEqualTo(new BlobInfo(digest, size));
        assertThat(driver.size(StoragePaths.blob(digest))).isEqualTo(size);
        assertThat(content.largestRead).as("the content is read in buffers, never whole").isLessThanOrEqualTo(MIB);
        assertThat(driver.list("ingest")).isEmpty();
    }

    private void assertNothingStored(Digest digest) throws IOException {
        assertThat(store.stat(digest)).isEmpty();
        assertThat(rows).isEmpty();
        assertThat(driver.exists(StoragePaths.blob(digest))).isFalse();
        assertThat(driver.list("ingest")).isEmpty();
    }

    /** Counts what is read through it and remembers the largest single read asked for. */
    protected static final class CountingStream extends InputStream {
        private final InputStream in;
        long count;
        int largestRead;

        CountingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            largestRead = Math.max(largestRead, len);
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** {@code size} pseudo-random bytes, generated as they are read. */
    protected static final class GeneratedStream extends InputStream {
        private final long size;
        private long position;

        GeneratedStream(long size) {
            this.size = size;
        }

        static Digest digest(long size) throws IOException {
            MessageDigest sha256 = Digest.newMessageDigest(Digest.SHA256);
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = new GeneratedStream(size)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sha256.update(buffer, 0, n);
                }
            }
            return Digest.from(Digest.SHA256, sha256);
        }

        private static byte at(long i) {
            long x = i * 0x9E3779B97F4A7C15L;
            return (byte) (x >>> 56 ^ x >>> 29);
        }

        @Override
        public int read() {
            return position < size ? at(position++) & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = at(position++);
            }
            return n;
        }
    }
}
