package io.wharf.api.v2;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.Page;
import io.wharf.core.registry.RepositoryName;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small pieces every {@code /v2} controller shares: locations, JSON bodies, headers, paging. */
final class V2Support {

    static final String CONTENT_DIGEST = "Docker-Content-Digest";
    static final String UPLOAD_UUID = "Docker-Upload-UUID";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private V2Support() {
    }

    static String blobLocation(RepositoryName name, Object digest) {
        return "/v2/" + name + "/blobs/" + digest;
    }

    static String uploadLocation(RepositoryName name, Object id) {
        return "/v2/" + name + "/blobs/uploads/" + id;
    }

    static String manifestLocation(RepositoryName name, Object reference) {
        return "/v2/" + name + "/manifests/" + reference;
    }

    static byte[] json(Object value) {
        return JSON.writeValueAsBytes(value);
    }

    /** Parses stored JSON text (annotations) to embed it in a response. */
    static Object parseJson(String text) {
        return JSON.readTree(text);
    }

    /** The media type of a request without parameters, or null when absent. */
    static @Nullable String mediaType(@Nullable String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** Every media type the client lists in its {@code Accept} headers, without parameters. */
    static List<String> accept(HttpServletRequest request) {
        List<String> types = new ArrayList<>();
        var headers = request.getHeaders(HttpHeaders.ACCEPT);
        while (headers != null && headers.hasMoreElements()) {
            for (String part : headers.nextElement().split(",")) {
                String type = mediaType(part);
                if (type != null && !type.isEmpty()) {
                    types.add(type);
                }
            }
        }
        return types;
    }

    /** The {@code n} parameter of a listing, validated. */
    static @Nullable Integer pageSize(@Nullable String n) {
        if (n == null || n.isEmpty()) {
            return null;
        }
        if (n.matches("\\d{10,}")) {
            return Integer.MAX_VALUE;
        }
        try {
            int value = Integer.parseInt(n);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new PlatformException(ErrorCode.PAGINATION_NUMBER_INVALID, "n must be a non-negative integer");
        }
    }

    /** Headers for a page of a listing: {@code Link} to the next page when there is one. */
    static HttpHeaders pageHeaders(String path, Page page, @Nullable Integer n) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (page.last() != null) {
            headers.add(HttpHeaders.LINK, "<" + path + "?n=" + n + "&last="
                + UriUtils.encodeQueryParam(page.last(), StandardCharsets.UTF_8) + ">; rel=\"next\"");
        }
        return headers;
    }

    /** The declared request body length, or null when unknown (chunked). */
    static @Nullable Long contentLength(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        return length < 0 ? null : length;
    }

    /** Whether the request carries a body (a length above zero, or chunked transfer). */
    static boolean hasBody(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        return length > 0 || (length < 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null);
    }
}
