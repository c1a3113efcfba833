package io.wharf.core.crypto;

import io.wharf.core.PlatformProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dataDir;

    private SecretCipher cipher(String key) {
        return new SecretCipher(new PlatformProperties(dataDir, null, null, key));
    }

    @Test
    void roundTripsAndHidesThePlaintext() {
        SecretCipher cipher = cipher(KEY);
        String stored = cipher.encrypt("hub-pat-0123", "registry:1");
        assertThat(stored).startsWith("v1:").doesNotContain("hub-pat");
        assertThat(cipher.decrypt(stored, "registry:1")).isEqualTo("hub-pat-0123");
        assertThat(cipher.encrypt("hub-pat-0123", "registry:1")).as("a fresh nonce each time").isNotEqualTo(stored);
    }

    @Test
    void refusesAnotherPurposeAnotherKeyAndTampering() {
        SecretCipher cipher = cipher(KEY);
        String stored = cipher.encrypt("secret", "registry:1");
        assertThatThrownBy(() -> cipher.decrypt(stored, "registry:2")).isInstanceOf(IllegalStateException.class);
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() -> cipher(Base64.getEncoder().encodeToString(other)).decrypt(stored, "registry:1"))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("wharf.secret-key");
        byte[] raw = Base64.getDecoder().decode(stored.substring(3));
        raw[raw.length - 1] ^= 1;
        String tampered = "v1:" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> cipher.decrypt(tampered, "registry:1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutAConfiguredKeyOneIsKeptInTheDataDirectoryForTheOwnerOnly() throws Exception {
        String stored = cipher(null).encrypt("secret", "scanner:3");
        Path file = dataDir.resolve("secret.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(cipher(null).decrypt(stored, "scanner:3")).as("the same key after a restart").isEqualTo("secret");
    }

    @Test
    void rejectsAKeyOfTheWrongLength() {
        assertThatThrownBy(() -> cipher(Base64.getEncoder().encodeToString(new byte[16])))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("32 bytes");
    }
}
