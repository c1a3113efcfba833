package io.wharf.api.iam;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * Harbor's paging: {@code page} (from 1) and {@code page_size} (default 10, at most 100) in, the
 * {@code X-Total-Count} and {@code Link} (rel {@code prev}/{@code next}) headers out.
 */
record ApiPage(int page, int size) {

    static ApiPage of(@Nullable Integer page, @Nullable Integer size) {
        int p = page == null ? 1 : page;
        int s = size == null ? 10 : size;
        if (p < 1 || s < 1 || s > 100) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "page must be >= 1 and page_size 1 to 100");
        }
        return new ApiPage(p, s);
    }

    <T> List<T> slice(List<T> all) {
        int from = Math.min(all.size(), (page - 1) * size);
        return all.subList(from, Math.min(all.size(), from + size));
    }

    HttpHeaders headers(HttpServletRequest request, long total) {
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
    static String time(java.time.OffsetDateTime time) {
        return TIME.format(time.withOffsetSameInstant(java.time.ZoneOffset.UTC));
    }

    private String link(HttpServletRequest request, int target, String rel) {
        String uri = UriComponentsBuilder.fromPath(request.getRequestURI()).query(request.getQueryString())
            .replaceQueryParam("page", target).replaceQueryParam("page_size", size).build().toUriString();
        return "<" + uri + ">; rel=\"" + rel + "\"";
    }
}
