package io.wharf.replication.upstream;

import io.wharf.core.registry.digest.Digest;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator.BlobDelivery;
import io.wharf.testkit.hub.DockerHubEmulator.Role;
import io.wharf.testkit.hub.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Blob reads: CDN redirects without credentials (R24) and resumed broken reads (R12). */
@Timeout(60)
class UpstreamBlobTest {

    private static final String REPOSITORY = "acme/app";

    private final UpstreamFixture fixture = new UpstreamFixture();
    private final byte[] blob = TestImage.randomBytes(7, 100_000);
    private Digest digest;

    @BeforeEach
    void seed() {
        digest = Digest.parse(fixture.hub.putBlob(REPOSITORY, blob));
        fixture.hub.push(REPOSITORY, "latest", TestImage.simple("blobs"));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void blobsComeFromTheCdnWhichGetsNoAuthorization() throws IOException {
        UpstreamClient client = fixture.anonymous();

        byte[] read;
        try (InputStream in = client.openBlob(REPOSITORY, digest, blob.length)) {
            read = in.readAllBytes();
        }

        assertThat(read).isEqualTo(blob);
        assertThat(fixture.hub.requests(Role.REGISTRY)).filteredOn(r -> r.status() == 307).singleElement()
            .satisfies(r -> assertThat(r.hasAuthorization()).isTrue());
        assertThat(fixture.hub.requests(Role.CDN)).singleElement()
            .satisfies(r -> assertThat(r.hasAuthorization()).isFalse());
        assertThat(fixture.hub.cdnSawAuthorization()).isFalse();
        assertThat(fixture.counter("wharf.upstream.blob.bytes", "upstream", "hub")).isEqualTo(blob.length);
    }

    @Test
    void aCutBodyIsResumedWithRange() throws IOException {
        fixture.hub.cutBlobBodies(30_000, 2);
        UpstreamClient client = fixture.anonymous();

        byte[] read;
        try (InputStream in = client.openBlob(REPOSITORY, digest, blob.length)) {
            read = in.readAllBytes();
        }

        assertThat(read).isEqualTo(blob);
        List<LoggedRequest> cdn = fixture.hub.requests(Role.CDN);
        assertThat(cdn).extracting(LoggedRequest::status).containsExactly(200, 206, 206);
        assertThat(cdn.get(0).header("Range")).isEmpty();
        // a dropped connection may lose some of the bytes sent before it: resume where the client got to
        long first = rangeStart(cdn.get(1));
        long second = rangeStart(cdn.get(2));
        assertThat(first).isBetween(1L, 30_000L);
        assertThat(second).isBetween(first + 1, first + 30_000);
    }

    private static long rangeStart(LoggedRequest request) {
        String range = request.header("Range").orElseThrow();
        assertThat(range).matches("bytes=\\d+-");
        return Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
    }

    @Test
    void aDirectlyServedBodyIsResumedToo() throws IOException {
        fixture.hub.blobDelivery(BlobDelivery.DIRECT).cutBlobBodies(50_000, 1);

        try (InputStream in = fixture.anonymous().openBlob(REPOSITORY, digest, blob.length)) {
            assertThat(in.readAllBytes()).isEqualTo(blob);
        }
        assertThat(fixture.hub.requests(Role.CDN)).isEmpty();
    }

    @Test
    void resumingStopsAfterTheConfiguredAttempts() {
        fixture.hub.cutBlobBodies(10_000, 100);

        assertThatThrownBy(() -> {
            try (InputStream in = fixture.anonymous().openBlob(REPOSITORY, digest, blob.length)) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
        assertThat(fixture.hub.requests(Role.CDN)).hasSize(1 + fixture.properties().blobResumeAttempts());
    }

    @Test
    void aPermitIsGivenBackWhenTheStreamIsClosedEarly() throws IOException {
        UpstreamClient client = fixture.anonymous(); // concurrency 1: a kept permit would hang the next call
        try (InputStream in = client.openBlob(REPOSITORY, digest, blob.length)) {
            assertThat(in.read()).isEqualTo(blob[0] & 0xff);
        }

        assertThat(client.headBlob(REPOSITORY, digest)).contains((long) blob.length);
    }

    @Test
    void headBlobGivesTheSizeOrNothing() {
        UpstreamClient client = fixture.anonymous();

        assertThat(client.headBlob(REPOSITORY, digest)).contains((long) blob.length);
        assertThat(client.headBlob(REPOSITORY, Digest.sha256(new byte[] {1}))).isEmpty();
    }

    @Test
    void aMissingBlobFailsToOpen() {
        assertThatThrownBy(() -> fixture.anonymous().openBlob(REPOSITORY, Digest.sha256(new byte[] {1}), 1))
            .isInstanceOfSatisfying(UpstreamException.class, e -> {
                assertThat(e.isNotFound()).isTrue();
                assertThat(e.code()).isEqualTo("BLOB_UNKNOWN");
            });
    }

    @Test
    void aServerErrorBeforeTheRedirectIsRetried() throws IOException {
        fixture.hub.failNext(1);

        try (InputStream in = fixture.anonymous().openBlob(REPOSITORY, digest, -1)) {
            assertThat(in.readAllBytes()).isEqualTo(blob);
        }
        assertThat(fixture.pause.waits()).containsExactly(Duration.ofSeconds(2));
    }
}
