package io.wharf.core.registry.manifest;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestParserTest {

    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private final ManifestParser parser = new ManifestParser();

    @Test
    void parsesAnArtifactWithSubjectAndUnknownFields() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"artifactType\":\"application/vnd.example\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
            + "\"digest\":\"" + D1 + "\",\"size\":2,\"data\":\"e30=\",\"newUnspecifiedField\":null},\"layers\":[],"
            + "\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + D2 + "\",\"size\":7},"
            + "\"annotations\":{\"k\":\"v\"}}";
        ParsedManifest parsed = parser.parse(json.getBytes(StandardCharsets.UTF_8), null);
        assertThat(parsed.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(parsed.artifactType()).isEqualTo("application/vnd.example");
        assertThat(parsed.subject().digest().toString()).isEqualTo(D2);
        assertThat(parsed.annotations()).containsEntry("k", "v");
    }

    @Test
    void takesTheArtifactTypeOfAnImageFromItsConfig() {
        String json = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.nhl.peanut\",\"digest\":\"" + D1 + "\",\"size\":2},\"layers\":[]}";
        ParsedManifest parsed = parser.parse(json.getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.manifest.v1+json");
        assertThat(parsed.artifactType()).isEqualTo("application/vnd.nhl.peanut");
    }

    @Test
    void readsIndexPlatforms() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
            + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + D1 + "\",\"size\":5,"
            + "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}}]}";
        ParsedManifest parsed = parser.parse(json.getBytes(StandardCharsets.UTF_8), null);
        assertThat(parsed.isIndex()).isTrue();
        assertThat(parsed.manifests().get(0).platform()).isEqualTo("linux/arm/v7");
    }

    @Test
    void rejectsDuplicateKeysAndMismatchedTypes() {
        assertInvalid("{\"schemaVersion\":2,\"schemaVersion\":2,\"manifests\":[]}", null);
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}",
            "application/vnd.docker.distribution.manifest.list.v2+json");
        assertInvalid("{\"schemaVersion\":2,\"manifests\":[]}", "text/plain");
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":\"x\"}]}", null);
    }

    private void assertInvalid(String json, String contentType) {
        assertThatThrownBy(() -> parser.parse(json.getBytes(StandardCharsets.UTF_8), contentType))
            .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID));
    }
}
