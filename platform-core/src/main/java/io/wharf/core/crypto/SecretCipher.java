package io.wharf.core.crypto;

import io.wharf.core.PlatformProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts secrets that Wharf stores and must read back (passwords of remote registries, scanner
 * credentials) with AES-256-GCM: a random 96-bit nonce per value, a 128-bit tag, and the value's
 * purpose (say {@code registry:7}) as associated data, so a ciphertext copied into another row does
 * not decrypt. The stored form is {@code v1:<base64(nonce || ciphertext+tag)>}.
 *
 * <p>The key is {@code wharf.secret-key} ({@code WHARF_SECRET_KEY}, base64 of 32 bytes). Without
 * it, a random key is created once in {@code <data-dir>/secret.key}, readable only by its owner, which
 * suits one node; several nodes sharing a database must be given the same key, or they cannot read
 * each other's secrets. The key never goes into the database, so a database dump alone reveals no
 * credentials.
 */
@Component
public class SecretCipher {

    private static final Logger log = LoggerFactory.getLogger(SecretCipher.class);
    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    SecretCipher(PlatformProperties platform) {
        this.key = new SecretKeySpec(keyBytes(platform), "AES");
    }

    /** Encrypts {@code plaintext} for {@code purpose} (associated data that decryption must repeat). */
    public String encrypt(String plaintext, String purpose) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return VERSION + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Decrypts what {@link #encrypt} returned for the same {@code purpose}.
     *
     * @throws IllegalStateException when the value was encrypted under another key or purpose, or is damaged
     */
    public String decrypt(String stored, String purpose) {
        if (!stored.startsWith(VERSION)) {
            throw new IllegalStateException("not an encrypted secret");
        }
        byte[] bytes = Base64.getDecoder().decode(stored.substring(VERSION.length()));
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("encrypted secret too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the secret cannot be decrypted with this node's wharf.secret-key "
                + "(was it encrypted under another key?)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] keyBytes(PlatformProperties platform) {
        String configured = platform.secretKey();
        if (configured != null && !configured.isBlank()) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(configured.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("WHARF_SECRET_KEY must be base64 (e.g. from `openssl rand -base64 32`)");
            }
            if (bytes.length != 32) {
                throw new IllegalStateException("WHARF_SECRET_KEY must be 32 bytes (base64), not " + bytes.length);
            }
            return bytes;
        }
        Path file = platform.dataDir().resolve("secret.key");
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Files.createDirectories(platform.dataDir());
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.US_ASCII);
                    log.warn("Created a random secret key in {}. Several nodes sharing a database must all be given "
                        + "one key in WHARF_SECRET_KEY.", file.toAbsolutePath().normalize());
                } catch (FileAlreadyExistsException raced) {
                    log.debug("{} created concurrently", file);
                }
            }
            byte[] bytes = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            if (bytes.length != 32) {
                throw new IllegalStateException(file + " must hold 32 bytes in base64");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
