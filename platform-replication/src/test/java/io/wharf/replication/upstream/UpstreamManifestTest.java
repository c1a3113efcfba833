package io.wharf.replication.upstream;

import io.wharf.testkit.TestImage;
import io.wharf.testkit.TestImage.Format;
import io.wharf.testkit.TestImage.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Manifests by tag and digest: bytes as stored, digests verified (R12, R14). */
@Timeout(60)
class UpstreamManifestTest {

    private final UpstreamFixture fixture = new UpstreamFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void anIndexAndItsImagesComeByteForByte() {
        Map<Platform, TestImage> images = new LinkedHashMap<>();
        images.put(Platform.of("linux", "amd64"), TestImage.create(Format.OCI, "amd64"));
        images.put(Platform.of("linux", "arm64"), TestImage.create(Format.OCI, "arm64"));
        TestImage.Blob index = fixture.hub.pushIndex("library/nginx", "1.27", Format.OCI, images);
        UpstreamClient client = fixture.anonymous();

        Manifest top = client.getManifest("docker.io/library/nginx", "1.27", UpstreamClient.MANIFEST_MEDIA_TYPES);
        TestImage arm = images.get(Platform.of("linux", "arm64"));
        Manifest child = client.getManifest("nginx", arm.manifestDigest(), List.of(TestImage.OCI_MANIFEST));

        assertThat(top.bytes()).isEqualTo(index.content());
        assertThat(top.mediaType()).isEqualTo(TestImage.OCI_INDEX);
        assertThat(top.digest()).hasToString(index.digest());
        assertThat(child.bytes()).isEqualTo(arm.manifest());
        assertThat(child.digest()).hasToString(arm.manifestDigest());
        assertThat(fixture.hub.requests()).filteredOn(r -> r.path().endsWith("/manifests/1.27") && r.status() == 200)
            .singleElement().satisfies(r -> assertThat(r.header("Accept")).hasValue(String.join(", ",
                UpstreamClient.MANIFEST_MEDIA_TYPES)));
    }

    @Test
    void aManifestWhoseBytesDoNotMatchTheRequestedDigestIsRefused() {
        TestImage image = TestImage.simple("genuine");
        fixture.hub.push("library/nginx", "latest", image);
        fixture.hub.tamperManifest("library/nginx", image.manifestDigest(), image.manifestType(),
            TestImage.simple("forged").manifest());

        assertThatThrownBy(() -> fixture.anonymous().getManifest("nginx", image.manifestDigest(), List.of()))
            .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.code()).isEqualTo("DIGEST_INVALID"))
            .hasMessageContaining(image.manifestDigest());
    }

    @Test
    void aMissingTagIsEmptyOnHeadAndAnErrorOnGet() {
        fixture.hub.push("library/nginx", "latest", TestImage.simple("x"));
        UpstreamClient client = fixture.anonymous();

        assertThat(client.headManifest("nginx", "nope", List.of())).isEmpty();
        assertThatThrownBy(() -> client.getManifest("nginx", "nope", List.of()))
            .isInstanceOfSatisfying(UpstreamException.class, e -> {
                assertThat(e.isNotFound()).isTrue();
                assertThat(e.code()).isEqualTo("MANIFEST_UNKNOWN");
            });
    }
}
