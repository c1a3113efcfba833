package io.wharf.web.console;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;

/** The console's paging: pages are numbered from 1 in URLs ({@code ?page=}), with a fixed size per list. */
public final class Paging {

    /** Rows per page of the console's lists. */
    public static final int SIZE = 20;

    private Paging() {
    }

    /** The page {@code page} (1-based; anything below 1 is the first) of {@code size} rows. */
    public static Pageable page(int page, int size) {
        return PageRequest.of(Math.max(page, 1) - 1, size);
    }

    /** The page {@code page} (1-based) of {@link #SIZE} rows. */
    public static Pageable page(int page) {
        return page(page, SIZE);
    }
}
