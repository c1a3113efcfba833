package io.wharf.core.registry;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * One page of a sorted listing.
 *
 * @param items the entries of this page
 * @param last  the last entry of this page when more follow (the {@code last} of the next request), else null
 */
public record Page(List<String> items, @Nullable String last) {

    /**
     * Cuts the page after {@code last} (exclusive) of at most {@code n} entries from a sorted list.
     *
     * @param n    the page size, or null for all
     * @param last the entry the previous page ended with, or null to start at the beginning
     */
    public static Page of(List<String> sorted, @Nullable Integer n, @Nullable String last) {
        List<String> rest = last == null ? sorted : sorted.stream().filter(s -> s.compareTo(last) > 0).toList();
        if (n == null || n >= rest.size()) {
            return new Page(rest, null);
        }
        List<String> items = rest.subList(0, n);
        return new Page(items, n == 0 ? null : items.get(n - 1));
    }
}
