package io.wharf.replication.upstream;

import io.wharf.core.registry.digest.Digest;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The push side, for push policies: mount, streamed blob upload, manifest PUT and DELETE. */
@Timeout(60)
class UpstreamPushTest {

    private final UpstreamFixture fixture = new UpstreamFixture();
    private final TestImage image = TestImage.create(TestImage.Format.DOCKER, "push");

    @BeforeEach
    void account() {
        fixture.hub.account("alice", "s3cret");
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pushesAnImage(boolean absoluteLocations) {
        fixture.hub.absoluteUploadLocations(absoluteLocations);
        UpstreamClient client = fixture.as("alice", "s3cret");

        for (byte[] blob : image.blobs()) {
            client.pushBlob("alice/app", Digest.sha256(blob), blob.length, new ByteArrayInputStream(blob));
        }
        Digest pushed = client.putManifest("alice/app", "v1", image.manifestType(), image.manifest());

        assertThat(pushed).hasToString(image.manifestDigest());
        assertThat(fixture.hub.manifest("alice/app", "v1")).hasValueSatisfying(m -> assertThat(m.content())
            .isEqualTo(image.manifest()));
        assertThat(fixture.hub.hasBlob("alice/app", image.layerDigest())).isTrue();
        assertThat(fixture.hub.requests(Role.REGISTRY)).filteredOn(r -> r.method().equals("PUT")
            && r.path().contains("/blobs/uploads/")).allSatisfy(r -> {
                assertThat(r.header("Content-Length")).isPresent();
                assertThat(r.query()).contains("_state=emulated").contains("digest=sha256%3A");
            });
    }

    @Test
    void mountsABlobFromAnotherRepository() {
        fixture.hub.push("alice/base", "latest", image);
        UpstreamClient client = fixture.as("alice", "s3cret");

        boolean mounted = client.mountBlob("alice/app", Digest.parse(image.layerDigest()), "alice/base");

        assertThat(mounted).isTrue();
        assertThat(fixture.hub.hasBlob("alice/app", image.layerDigest())).isTrue();
    }

    @Test
    void aMountThatStartsAnUploadIsCancelled() {
        UpstreamClient client = fixture.as("alice", "s3cret");

        boolean mounted = client.mountBlob("alice/app", Digest.sha256(new byte[] {9}), "alice/elsewhere");

        assertThat(mounted).isFalse();
        assertThat(fixture.hub.count(Role.REGISTRY, "DELETE", "/v2/alice/app/blobs/uploads/.+")).isEqualTo(1);
    }

    @Test
    void anonymousPushIsRefused() {
        byte[] blob = image.layer();
        assertThatThrownBy(() -> fixture.anonymous().pushBlob("alice/app", Digest.sha256(blob), blob.length,
            new ByteArrayInputStream(blob)))
            .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aBlobWhoseBytesDoNotMatchIsRejected() {
        byte[] blob = image.layer();
        assertThatThrownBy(() -> fixture.as("alice", "s3cret").pushBlob("alice/app", Digest.sha256(new byte[] {1}),
            blob.length, new ByteArrayInputStream(blob)))
            .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.code()).isEqualTo("DIGEST_INVALID"));
    }

    @Test
    void deletesAManifestAndToleratesOneAlreadyGone() {
        fixture.hub.push("alice/app", "v1", image);
        UpstreamClient client = fixture.as("alice", "s3cret");

        client.deleteManifest("alice/app", image.manifestDigest());
        client.deleteManifest("alice/app", image.manifestDigest());

        assertThat(client.headManifest("alice/app", "v1", List.of())).isEmpty();
    }
}
