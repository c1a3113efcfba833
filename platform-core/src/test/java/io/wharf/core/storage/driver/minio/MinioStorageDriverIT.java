package io.wharf.core.storage.driver.minio;

import io.minio.MinioClient;
import io.wharf.core.storage.StorageProperties;
import io.wharf.core.storage.driver.StorageDriver;
import io.wharf.core.storage.driver.StorageDriverContract;
import io.wharf.testkit.S3ProxyServer;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs the storage contract, and the MinIO-specific behaviour, against a real S3 HTTP server: an
 * s3proxy embedded in this JVM on a free port of 127.0.0.1, signing with AWS v2/v4 and keeping its
 * objects in a temporary directory.
 */
class MinioStorageDriverIT extends StorageDriverContract {

    private static final String ACCESS_KEY = S3ProxyServer.ACCESS_KEY;
    private static final String SECRET_KEY = S3ProxyServer.SECRET_KEY;
    private static final String BUCKET = "wharf-it";
    private static final long MIB = 1024 * 1024;
    private static final long PART_SIZE = 5 * MIB;

    @TempDir
    static Path blobs;

    private static S3ProxyServer server;
    private static String endpoint;
    private static MinioStorageDriver shared;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        server = S3ProxyServer.start(blobs);
        endpoint = server.endpoint();
        // create() makes the bucket, which does not exist yet
        shared = MinioStorageDriver.create(settings(true));
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected StorageDriver driver() {
        return shared;
    }

    @Test
    void createAcceptsAnExistingBucket() throws IOException {
        StorageDriver again = MinioStorageDriver.create(settings(false));
        again.write(base + "/a", bytes("again"));
        assertThat(read(shared, base + "/a")).isEqualTo("again");
    }

    @Test
    void redirectUrlServesTheObjectOverPlainHttp() throws Exception {
        driver.write(base + "/blob", bytes("presigned bytes"));
        String url = driver.redirectUrl(base + "/blob").orElseThrow();
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("presigned bytes");
        assertThat(url).contains("X-Amz-Expires=" + MinioStorageDriver.REDIRECT_EXPIRY_MINUTES * 60);
    }

    @Test
    void redirectUrlIsEmptyWhenRedirectsAreOff() {
        StorageDriver streaming = new MinioStorageDriver(client(), BUCKET, PART_SIZE, false);
        assertThat(streaming.redirectUrl(base + "/blob")).isEmpty();
    }

    @Test
    void multipartWriteOfSeveralPartsRoundTrips() throws Exception {
        long size = 12 * MIB + 7;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        assertThat(driver.write(base + "/big", new PatternStream(size, expected))).isEqualTo(size);
        assertThat(driver.size(base + "/big")).isEqualTo(size);
        assertThat(sha256(driver, base + "/big", 0)).isEqualTo(expected.digest());
        try (InputStream in = driver.read(base + "/big", 5 * MIB + 1)) {
            assertThat(in.readAllBytes()).hasSize((int) (size - 5 * MIB - 1));
        }
    }

    @Test
    void failedMultipartWriteIsAbortedAndLeavesNothing() throws Exception {
        assertThatThrownBy(() -> driver.write(base + "/broken", failingAfter(11 * MIB)))
            .isInstanceOf(IOException.class);
        assertThat(driver.exists(base + "/broken")).isFalse();
        assertThat(openUploads(base)).isEmpty();
    }

    @Test
    void readPastTheEndYieldsNothing() throws IOException {
        driver.write(base + "/a", bytes("0123456789"));
        try (InputStream in = driver.read(base + "/a", 25)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void movesAMultipartObject() throws Exception {
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        driver.write(base + "/from", new PatternStream(11 * MIB, expected));
        driver.move(base + "/from", base + "/to");
        assertThat(driver.exists(base + "/from")).isFalse();
        assertThat(sha256(driver, base + "/to", 0)).isEqualTo(expected.digest());
    }

    @Test
    void movesObjectsAboveTheCopyLimitWithAMultipartCopy() throws Exception {
        StorageDriver composing = new MinioStorageDriver(client(), BUCKET, PART_SIZE, false, 1);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        composing.write(base + "/from", new PatternStream(6 * MIB + 3, expected));
        composing.write(base + "/to", bytes("replaced"));
        composing.move(base + "/from", base + "/to");
        assertThat(composing.exists(base + "/from")).isFalse();
        assertThat(composing.size(base + "/to")).isEqualTo(6 * MIB + 3);
        assertThat(sha256(composing, base + "/to", 0)).isEqualTo(expected.digest());
    }

    @Test
    void concatenatesLargePartsServerSide() throws Exception {
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        driver.write(base + "/p1", new PatternStream(6 * MIB, expected));
        driver.write(base + "/p2", new ByteArrayInputStream(new byte[0]));
        driver.write(base + "/p3", new PatternStream(5 * MIB, expected));
        driver.write(base + "/p4", new PatternStream(100_000, expected));
        long size = driver.concatenate(List.of(base + "/p1", base + "/p2", base + "/p3", base + "/p4"), base + "/whole");
        assertThat(size).isEqualTo(11 * MIB + 100_000);
        assertThat(driver.size(base + "/whole")).isEqualTo(size);
        assertThat(sha256(driver, base + "/whole", 0)).isEqualTo(expected.digest());
        assertThat(driver.exists(base + "/p1")).isTrue();
        assertThat(openUploads(base)).isEmpty();
    }

    @Test
    void concatenatesAcrossSmallPartsByStreaming() throws Exception {
        driver.write(base + "/p1", bytes("small"));
        driver.write(base + "/p2", new PatternStream(6 * MIB, MessageDigest.getInstance("SHA-256")));
        driver.write(base + "/p3", bytes("tail"));
        long size = driver.concatenate(List.of(base + "/p1", base + "/p2", base + "/p3"), base + "/whole");
        assertThat(size).isEqualTo(6 * MIB + 9);
        try (InputStream in = driver.read(base + "/whole", size - 4)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("tail");
        }
    }

    @Test
    void aListingIsRepeatedWhenTheStoreAnswersAServerErrorAndFailsAfterThreeTries() throws IOException {
        driver.write(base + "/x/1", bytes("one"));
        driver.write(base + "/x/2", bytes("two"));
        server.failListings(S3Calls.ATTEMPTS - 1);
        assertThat(driver.list(base + "/x")).containsExactly(base + "/x/1", base + "/x/2");
        server.failListings(S3Calls.ATTEMPTS);
        try {
            assertThatThrownBy(() -> driver.list(base + "/x")).isInstanceOf(IOException.class)
                .hasMessageContaining(base + "/x").cause().hasMessageContaining("500");
        } finally {
            server.failListings(0);
        }
        assertThat(driver.list(base + "/x")).hasSize(2);
    }

    @Test
    void rejectsInvalidPartSizesAndPaths() {
        assertThatThrownBy(() -> new MinioStorageDriver(client(), BUCKET, 4 * MIB, false))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.list("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.size("a/../b")).isInstanceOf(IllegalArgumentException.class);
    }

    private static StorageProperties.Minio settings(boolean redirect) {
        return new StorageProperties.Minio(endpoint, BUCKET, ACCESS_KEY, SECRET_KEY, null, PART_SIZE, redirect);
    }

    private static MinioClient client() {
        return MinioClient.builder().endpoint(endpoint).credentials(ACCESS_KEY, SECRET_KEY).build();
    }

    /**
     * The multipart uploads started under {@code prefix} and neither completed nor aborted, as the
     * backing store sees them (s3proxy answers the S3 ListMultipartUploads call of the MinIO client,
     * which always sends {@code delimiter} and {@code max-uploads}, with 501).
     */
    private static List<MultipartUpload> openUploads(String prefix) {
        return server.blobStore().listMultipartUploads(BUCKET).stream()
            .filter(upload -> upload.blobName().startsWith(prefix))
            .toList();
    }

    private static byte[] sha256(StorageDriver driver, String path, long offset) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = driver.read(path, offset)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return digest.digest();
    }

    private static String read(StorageDriver driver, String path) throws IOException {
        try (InputStream in = driver.read(path, 0)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Yields {@code limit} bytes, then fails like a client that disconnects. */
    private static InputStream failingAfter(long limit) {
        return new InputStream() {
            private long left = limit;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    throw new IOException("client went away");
                }
                int n = (int) Math.min(len, left);
                left -= n;
                return n;
            }
        };
    }
}
