package io.wharf.core.registry;

import org.jspecify.annotations.Nullable;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range a client asked for in a blob GET, as RFC 9110 spells it in {@code Range}:
 * {@code bytes=first-last}, {@code bytes=first-} or {@code bytes=-suffix}. It is resolved against
 * the blob's size by {@link RegistryService#readBlob}.
 *
 * @param first  the first byte, inclusive; null for a suffix range
 * @param last   the last byte, inclusive, or null for "to the end"; for a suffix range, the number of
 *               bytes at the end
 */
public record ByteRange(@Nullable Long first, @Nullable Long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /**
     * Parses a {@code Range} header. Returns null when the whole blob should be sent: no header, or a
     * syntax this registry does not serve partially (several ranges, other units, {@code last} before
     * {@code first}, numbers out of range), as RFC 9110 allows.
     */
    public static @Nullable ByteRange parse(@Nullable String header) {
        if (header == null) {
            return null;
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        try {
            Long first = m.group(1).isEmpty() ? null : Long.parseLong(m.group(1));
            Long last = m.group(2).isEmpty() ? null : Long.parseLong(m.group(2));
            if (first != null && last != null && last < first) {
                return null;
            }
            return new ByteRange(first, last);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether the range selects at least one byte of a blob of {@code size} bytes (else 416). */
    public boolean satisfiable(long size) {
        return first == null ? last != null && last > 0 && size > 0 : first < size;
    }

    /** The first byte selected in a blob of {@code size} bytes; only for a {@link #satisfiable} range. */
    public long offset(long size) {
        return first == null ? Math.max(0, size - last) : first;
    }

    /** The number of bytes selected in a blob of {@code size} bytes; only for a {@link #satisfiable} range. */
    public long length(long size) {
        long end = first == null || last == null ? size - 1 : Math.min(last, size - 1);
        return end - offset(size) + 1;
    }
}
