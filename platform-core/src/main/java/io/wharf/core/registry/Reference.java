package io.wharf.core.registry;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

import java.util.regex.Pattern;

/**
 * The reference of a manifest request: a tag or a digest.
 *
 * @param tag    the tag, or null when the reference is a digest
 * @param digest the digest, or null when the reference is a tag
 */
public record Reference(@Nullable String tag, @Nullable Digest digest) {

    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    /**
     * Parses a reference: anything with a colon is a digest, everything else must be a tag.
     *
     * @throws PlatformException {@link ErrorCode#DIGEST_INVALID} for a malformed digest,
     *         {@link ErrorCode#MANIFEST_INVALID} for a malformed tag
     */
    public static Reference parse(String value) {
        if (Digest.isDigest(value)) {
            return new Reference(null, Digest.parse(value));
        }
        return new Reference(validTag(value), null);
    }

    /**
     * Parses a reference to look a manifest up (GET, HEAD, DELETE): a malformed tag names no manifest,
     * so it is {@link ErrorCode#MANIFEST_UNKNOWN}; a malformed digest stays {@link ErrorCode#DIGEST_INVALID}.
     */
    public static Reference parseForLookup(String value) {
        if (Digest.isDigest(value)) {
            return new Reference(null, Digest.parse(value));
        }
        if (value == null || !TAG.matcher(value).matches()) {
            throw new PlatformException(ErrorCode.MANIFEST_UNKNOWN, "no manifest is tagged " + abbreviate(value));
        }
        return new Reference(value, null);
    }

    private static String abbreviate(String value) {
        return value == null ? "null" : value.length() > 140 ? value.substring(0, 140) + "..." : value;
    }

    /** Whether {@code value} is a tag by the spec's grammar. */
    public static boolean isTag(@Nullable String value) {
        return value != null && TAG.matcher(value).matches();
    }

    /** Validates a tag against the spec's grammar. */
    public static String validTag(String value) {
        if (value == null || !TAG.matcher(value).matches()) {
            throw new PlatformException(ErrorCode.MANIFEST_INVALID, "invalid tag: " + abbreviate(value));
        }
        return value;
    }

    public boolean isDigest() {
        return digest != null;
    }

    @Override
    public String toString() {
        return digest != null ? digest.toString() : String.valueOf(tag);
    }
}
