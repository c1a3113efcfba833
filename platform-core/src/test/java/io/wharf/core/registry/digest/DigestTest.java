package io.wharf.core.registry.digest;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestTest {

    @Test
    void computesAndParsesSha256AndSha512() {
        byte[] hello = "hello world".getBytes(StandardCharsets.UTF_8);
        assertThat(Digest.sha256(hello).toString())
            .isEqualTo("sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
        Digest sha512 = Digest.of(Digest.SHA512, hello);
        assertThat(Digest.parse(sha512.toString())).isEqualTo(sha512);
        assertThat(sha512.hex()).hasSize(128);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sha256", "sha256:", "sha256:abc", "SHA256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
        "sha256:B94D27B9934D3E08A52E52D7DA7DABFAC484EFE37A5380EE9088F7ACE2EFCDE9", "md5:d41d8cd98f00b204e9800998ecf8427e",
        "sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcdeg", ":b94d", "sha256:../../etc/passwd"})
    void rejectsMalformedOrUnsupportedDigests(String value) {
        assertThatThrownBy(() -> Digest.parse(value))
            .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID));
    }
}
