package io.wharf.core.storage.driver;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link StorageDriver} keeps. Each driver's test extends this class and supplies
 * the driver; all paths are under a fresh random prefix so runs never see each other's objects.
 */
public abstract class StorageDriverContract {

    protected StorageDriver driver;
    protected String base;

    /** The driver under test; called before each test. */
    protected abstract StorageDriver driver() throws Exception;

    @BeforeEach
    void setUpDriver() throws Exception {
        driver = driver();
        base = "contract-" + UUID.randomUUID();
    }

    @Test
    void writesAndReadsBackTheSameBytes() throws IOException {
        long written = driver.write(base + "/a", bytes("hello, registry"));
        assertThat(written).isEqualTo(15);
        assertThat(read(base + "/a", 0)).isEqualTo("hello, registry");
        assertThat(driver.size(base + "/a")).isEqualTo(15);
        assertThat(driver.exists(base + "/a")).isTrue();
    }

    @Test
    void readsFromAnOffset() throws IOException {
        driver.write(base + "/a", bytes("0123456789"));
        assertThat(read(base + "/a", 4)).isEqualTo("456789");
        assertThat(read(base + "/a", 10)).isEmpty();
    }

    @Test
    void storesEmptyObjects() throws IOException {
        driver.write(base + "/empty", bytes(""));
        assertThat(driver.size(base + "/empty")).isZero();
        assertThat(read(base + "/empty", 0)).isEmpty();
    }

    @Test
    void reportsMissingPaths() throws IOException {
        assertThatThrownBy(() -> driver.size(base + "/missing")).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.read(base + "/missing", 0).close()).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.move(base + "/missing", base + "/b")).isInstanceOf(PathNotFoundException.class);
        assertThat(driver.exists(base + "/missing")).isFalse();
    }

    @Test
    void writeReplacesAnExistingObject() throws IOException {
        driver.write(base + "/a", bytes("first version"));
        driver.write(base + "/a", bytes("second"));
        assertThat(read(base + "/a", 0)).isEqualTo("second");
    }

    @Test
    void failedWriteLeavesNothingVisible() throws IOException {
        assertThatThrownBy(() -> driver.write(base + "/broken", failingAfter(3 * 1024 * 1024)))
            .isInstanceOf(IOException.class);
        assertThat(driver.exists(base + "/broken")).isFalse();
        assertThat(driver.list(base)).isEmpty();
    }

    @Test
    void failedWriteKeepsThePreviousObject() throws IOException {
        driver.write(base + "/a", bytes("kept"));
        assertThatThrownBy(() -> driver.write(base + "/a", failingAfter(1024))).isInstanceOf(IOException.class);
        assertThat(read(base + "/a", 0)).isEqualTo("kept");
    }

    @Test
    void failedWriteRethrowsTheContentStreamsOwnException() throws IOException {
        InputStream rejecting = new InputStream() {
            int left = 6 * 1024 * 1024;

            @Override
            public int read() {
                return read(new byte[1], 0, 1);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    throw new IllegalStateException("rejected by the caller");
                }
                int n = Math.min(len, left);
                left -= n;
                return n;
            }
        };
        assertThatThrownBy(() -> driver.write(base + "/rejected", rejecting))
            .isInstanceOf(IllegalStateException.class).hasMessage("rejected by the caller");
        assertThat(driver.exists(base + "/rejected")).isFalse();
    }

    @Test
    void concatenatesInOrder() throws IOException {
        driver.write(base + "/p1", bytes("abc"));
        driver.write(base + "/p2", bytes(""));
        driver.write(base + "/p3", bytes("defg"));
        long size = driver.concatenate(List.of(base + "/p1", base + "/p2", base + "/p3"), base + "/whole");
        assertThat(size).isEqualTo(7);
        assertThat(read(base + "/whole", 0)).isEqualTo("abcdefg");
        assertThat(driver.exists(base + "/p1")).isTrue();
    }

    @Test
    void concatenateOfMissingSourceFailsAndWritesNothing() throws IOException {
        driver.write(base + "/p1", bytes("abc"));
        assertThatThrownBy(() -> driver.concatenate(List.of(base + "/p1", base + "/nope"), base + "/whole"))
            .isInstanceOf(PathNotFoundException.class);
        assertThat(driver.exists(base + "/whole")).isFalse();
    }

    @Test
    void movesAnObject() throws IOException {
        driver.write(base + "/from", bytes("moving"));
        driver.move(base + "/from", base + "/deep/to");
        assertThat(driver.exists(base + "/from")).isFalse();
        assertThat(read(base + "/deep/to", 0)).isEqualTo("moving");
    }

    @Test
    void moveReplacesTheTarget() throws IOException {
        driver.write(base + "/from", bytes("new"));
        driver.write(base + "/to", bytes("old"));
        driver.move(base + "/from", base + "/to");
        assertThat(read(base + "/to", 0)).isEqualTo("new");
    }

    @Test
    void listsEverythingUnderAPrefixSorted() throws IOException {
        driver.write(base + "/b/2", bytes("x"));
        driver.write(base + "/a", bytes("x"));
        driver.write(base + "/b/1", bytes("x"));
        driver.write(base + "-sibling/c", bytes("x"));
        assertThat(driver.list(base)).containsExactly(base + "/a", base + "/b/1", base + "/b/2");
        assertThat(driver.list(base + "/b")).containsExactly(base + "/b/1", base + "/b/2");
        assertThat(driver.list(base + "/none")).isEmpty();
        driver.delete(base + "-sibling");
    }

    @Test
    void deletesAnObjectOrAPrefix() throws IOException {
        driver.write(base + "/x/1", bytes("x"));
        driver.write(base + "/x/2", bytes("x"));
        driver.write(base + "/y", bytes("y"));
        driver.delete(base + "/x/1");
        assertThat(driver.list(base)).containsExactly(base + "/x/2", base + "/y");
        driver.delete(base + "/x");
        assertThat(driver.list(base)).containsExactly(base + "/y");
        driver.delete(base + "/absent");
        driver.delete(base);
        assertThat(driver.list(base)).isEmpty();
    }

    @Test
    void deletesManyObjectsInOneBatch() throws IOException {
        List<String> paths = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String path = base + "/many/" + (i % 7) + "/" + i;
            driver.write(path, bytes("b" + i));
            paths.add(path);
        }
        driver.write(base + "/kept/1", bytes("k"));

        driver.deleteAll(java.util.stream.Stream.concat(paths.stream(), java.util.stream.Stream.of(base + "/absent")).toList());

        assertThat(driver.list(base)).containsExactly(base + "/kept/1");
        driver.deleteAll(List.of());
        assertThat(driver.exists(base + "/kept/1")).isTrue();
    }

    @Test
    void streamsLargeObjectsBothWays() throws Exception {
        long size = 48L * 1024 * 1024 + 13;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        long written = driver.write(base + "/large", new PatternStream(size, expected));
        assertThat(written).isEqualTo(size);
        assertThat(driver.size(base + "/large")).isEqualTo(size);
        MessageDigest actual = MessageDigest.getInstance("SHA-256");
        try (InputStream in = driver.read(base + "/large", 0)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                actual.update(buffer, 0, n);
            }
        }
        assertThat(actual.digest()).isEqualTo(expected.digest());
        try (InputStream in = driver.read(base + "/large", size - 13)) {
            assertThat(in.readAllBytes()).hasSize(13);
        }
        driver.delete(base + "/large");
    }

    private String read(String path, long offset) throws IOException {
        try (InputStream in = driver.read(path, offset)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A stream that yields {@code limit} bytes and then fails, like a client that disconnects. */
    private static InputStream failingAfter(long limit) {
        return new InputStream() {
            long left = limit;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("client went away");
                }
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    throw new IOException("client went away");
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
    }

    /** A deterministic stream of {@code size} bytes that hashes what it yields, never holding it all. */
    public static final class PatternStream extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private long position;

        public PatternStream(long size, MessageDigest digest) {
            this.size = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                long p = position + i;
                b[off + i] = (byte) ((p * 31) ^ (p >>> 11));
            }
            digest.update(b, off, n);
            position += n;
            return n;
        }
    }
}
