package io.wharf.api.iam;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * Harbor's paging: {@code page} (from 1) and {@code page_size} (default 10, at most 100) in, as a
 * Spring Data {@link Pageable} for the database; the {@code X-Total-Count} and {@code Link}
 * (rel {@code prev}/{@code next}) headers out, from the {@link Page} the database answered.
 */
public record ApiPage(int page, int size) {

    /**
     * The page asked for; {@link ErrorCode#INVALID_ARGUMENT} unless {@code page >= 1} and {@code page_size} is 1 to 100.
     *
     * @param page the {@code page} parameter, null for 1
     * @param size the {@code page_size} parameter, null for 10
     */
    public static ApiPage of(@Nullable Integer page, @Nullable Integer size) {
        int p = page == null ? 1 : page;
        int s = size == null ? 10 : size;
        if (p < 1 || s < 1 || s > 100) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "page must be >= 1 and page_size 1 to 100");
        }
        // the database takes the offset as an int
        if ((long) (p - 1) * s > Integer.MAX_VALUE) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "page is too large");
        }
        return new ApiPage(p, s);
    }

    /** The page for the database (numbered from 0), unsorted: each listing has its own order. */
    public Pageable pageable() {
        return PageRequest.of(page - 1, size);
    }

    /** {@code X-Total-Count} and {@code Link} for {@code result}, with links that keep the request's other parameters. */
    public HttpHeaders headers(HttpServletRequest request, Page<?> result) {
        return headers(request, result.getTotalElements());
    }

    private HttpHeaders headers(HttpServletRequest request, long total) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Total-Count", String.valueOf(total));
        List<String> links = new ArrayList<>();
        if (page > 1) {
            links.add(link(request, page - 1, "prev"));
        }
        if ((long) page * size < total) {
            links.add(link(request, page + 1, "next"));
        }
        if (!links.isEmpty()) {
            headers.set(HttpHeaders.LINK, String.join(" , ", links));
        }
        return headers;
    }

    private static final java.time.format.DateTimeFormatter TIME =
        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    /** A timestamp as Harbor writes them: UTC, milliseconds, RFC 3339. */
    public static String time(java.time.OffsetDateTime time) {
        return TIME.format(time.withOffsetSameInstant(java.time.ZoneOffset.UTC));
    }

    private String link(HttpServletRequest request, int target, String rel) {
        String uri = UriComponentsBuilder.fromPath(request.getRequestURI()).query(request.getQueryString())
            .replaceQueryParam("page", target).replaceQueryParam("page_size", size).build().toUriString();
        return "<" + uri + ">; rel=\"" + rel + "\"";
    }
}
