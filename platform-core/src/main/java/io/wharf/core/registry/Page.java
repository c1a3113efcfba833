package io.wharf.core.registry;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One page of a listing sorted by code point.
 *
 * @param items the entries of this page
 * @param last  the last entry of this page when more follow (the {@code last} of the next request), else null
 */
public record Page(List<String> items, @Nullable String last) {

    /** Rows read per query when the page size is unknown or many rows are filtered out. */
    static final int BATCH = 500;

    /**
     * A keyset-paged source of sorted names, such as a {@code WHERE name > :after ORDER BY name LIMIT :limit}
     * query.
     */
    @FunctionalInterface
    public interface Source {

        /**
         * At most {@code limit} (at least 1) names greater than {@code after} by code point, in that order.
         *
         * @param after the empty string to start at the beginning
         */
        List<String> after(String after, int limit);
    }

    /**
     * Collects the page of at most {@code n} names after {@code last} (exclusive) that {@code keep}
     * accepts, reading {@code source} by keyset in batches: {@code n + 1} rows first (capped at a
     * batch), so whether another page follows is known without reading further, and more batches only
     * while rejected names leave the page short.
     *
     * @param n    the page size, or null for all names (read in batches, never all at once)
     * @param last the name the previous page ended with, or null to start at the beginning
     */
    public static Page collect(Source source, @Nullable Integer n, @Nullable String last, Predicate<String> keep) {
        if (n != null && n == 0) {
            return new Page(List.of(), null);
        }
        long wanted = n == null ? Long.MAX_VALUE : n;
        List<String> items = new ArrayList<>();
        String cursor = last == null ? "" : last;
        while (true) {
            long missing = wanted - items.size();
            int limit = missing >= BATCH ? BATCH : (int) missing + 1;
            List<String> rows = source.after(cursor, limit);
            for (String row : rows) {
                if (!keep.test(row)) {
                    continue;
                }
                if (items.size() == wanted) {
                    return new Page(List.copyOf(items), items.get(items.size() - 1));
                }
                items.add(row);
            }
            if (rows.size() < limit) {
                return new Page(List.copyOf(items), null);
            }
            cursor = rows.get(rows.size() - 1);
        }
    }
}
