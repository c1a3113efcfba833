package io.wharf.core.registry.digest;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as the OCI image spec defines it: {@code algorithm ":" encoded}.
 *
 * <p>Wharf verifies {@code sha256} (the canonical algorithm) and {@code sha512}; any other
 * well-formed algorithm is rejected as unsupported. The encoded part is lower-case hex of the exact
 * length of the algorithm's output.
 *
 * @param algorithm {@code sha256} or {@code sha512}
 * @param hex       the lower-case hex encoding of the hash
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {

    public static final String SHA256 = "sha256";
    public static final String SHA512 = "sha512";

    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
    private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

    /**
     * Parses and validates a digest string.
     *
     * @throws PlatformException {@link ErrorCode#DIGEST_INVALID} when the string is not a digest Wharf can verify
     */
    public static Digest parse(String value) {
        if (value == null || value.length() > 200 || !GRAMMAR.matcher(value).matches()) {
            throw new PlatformException(ErrorCode.DIGEST_INVALID, "invalid digest format: " + abbreviate(value));
        }
        int colon = value.indexOf(':');
        String algorithm = value.substring(0, colon);
        String hex = value.substring(colon + 1);
        int expected = switch (algorithm) {
            case SHA256 -> 64;
            case SHA512 -> 128;
            default -> throw new PlatformException(ErrorCode.DIGEST_INVALID, "unsupported digest algorithm: " + algorithm);
        };
        if (hex.length() != expected || !HEX.matcher(hex).matches()) {
            throw new PlatformException(ErrorCode.DIGEST_INVALID, "invalid " + algorithm + " digest: " + abbreviate(value));
        }
        return new Digest(algorithm, hex);
    }

    /** The digest of {@code bytes} with the canonical algorithm. */
    public static Digest sha256(byte[] bytes) {
        return of(SHA256, bytes);
    }

    /** The digest of {@code bytes} computed with {@code algorithm}. */
    public static Digest of(String algorithm, byte[] bytes) {
        return new Digest(algorithm, HexFormat.of().formatHex(newMessageDigest(algorithm).digest(bytes)));
    }

    /** A fresh {@link MessageDigest} for a supported algorithm. */
    public static MessageDigest newMessageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case SHA256 -> "SHA-256";
                case SHA512 -> "SHA-512";
                default -> throw new PlatformException(ErrorCode.DIGEST_INVALID, "unsupported digest algorithm: " + algorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest a finished {@link MessageDigest} of {@code algorithm} yields. */
    public static Digest from(String algorithm, MessageDigest finished) {
        return new Digest(algorithm, HexFormat.of().formatHex(finished.digest()));
    }

    /** Whether {@code value} parses as a digest (any supported algorithm). */
    public static boolean isDigest(String value) {
        return value != null && value.indexOf(':') > 0;
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > 80 ? value.substring(0, 80) + "..." : value;
    }
}
