package io.wharf.api.v2;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.RepositoryName;
import org.jspecify.annotations.Nullable;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code /v2} request path taken apart. Repository names contain slashes, so the path is read from
 * its end: the last {@code /manifests/}, {@code /blobs/}, {@code /tags/list} or {@code /referrers/}
 * decides the endpoint and everything before it is the name (as the distribution spec's grammar
 * implies: a name component can never be one of those words followed by a reference).
 *
 * @param kind      the endpoint
 * @param name      the repository name (null for the base and catalog endpoints)
 * @param reference the tag or digest, blob digest or upload id; null where the endpoint has none
 */
public record V2Route(Kind kind, @Nullable RepositoryName name, @Nullable String reference) {

    /** The request attribute that carries the parsed route to the controllers. */
    public static final String ATTRIBUTE = "io.wharf.api.v2.V2Route";
    /** The internal path prefix the filter rewrites {@code /v2} requests to. */
    public static final String INTERNAL = "/_wharf/v2/";

    /** The {@code /v2} endpoints. */
    public enum Kind {
        BASE, CATALOG, TAGS, MANIFEST, BLOB, UPLOADS, UPLOAD, REFERRERS, INVALID;

        /** The internal path of this endpoint. */
        public String path() {
            return INTERNAL + name().toLowerCase();
        }
    }

    private static final Pattern MANIFEST = Pattern.compile("(.+)/manifests/([^/]+)");
    private static final Pattern UPLOADS = Pattern.compile("(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("(.+)/blobs/uploads/([^/]+)");
    private static final Pattern BLOB = Pattern.compile("(.+)/blobs/([^/]+)");
    private static final Pattern TAGS = Pattern.compile("(.+)/tags/list/?");
    private static final Pattern REFERRERS = Pattern.compile("(.+)/referrers/([^/]+)");

    /**
     * Parses the raw (still percent-encoded) path below {@code /v2/}.
     *
     * @throws PlatformException {@link ErrorCode#NAME_INVALID} for a malformed name (upper case,
     *         {@code ..}, empty components, encoded characters, too long); {@link ErrorCode#NOT_FOUND}
     *         for a path that is no endpoint
     */
    public static V2Route parse(String raw) {
        if (raw.isEmpty()) {
            return new V2Route(Kind.BASE, null, null);
        }
        if (raw.equals("_catalog")) {
            return new V2Route(Kind.CATALOG, null, null);
        }
        Matcher m;
        if ((m = UPLOADS.matcher(raw)).matches()) {
            return new V2Route(Kind.UPLOADS, name(m.group(1)), null);
        }
        if ((m = UPLOAD.matcher(raw)).matches()) {
            return new V2Route(Kind.UPLOAD, name(m.group(1)), decode(m.group(2)));
        }
        if ((m = TAGS.matcher(raw)).matches()) {
            return new V2Route(Kind.TAGS, name(m.group(1)), null);
        }
        if ((m = MANIFEST.matcher(raw)).matches()) {
            return new V2Route(Kind.MANIFEST, name(m.group(1)), decode(m.group(2)));
        }
        if ((m = BLOB.matcher(raw)).matches()) {
            return new V2Route(Kind.BLOB, name(m.group(1)), decode(m.group(2)));
        }
        if ((m = REFERRERS.matcher(raw)).matches()) {
            return new V2Route(Kind.REFERRERS, name(m.group(1)), decode(m.group(2)));
        }
        throw new PlatformException(ErrorCode.NOT_FOUND, "no such endpoint: /v2/" + abbreviate(raw));
    }

    /** The repository name; only for endpoints that have one. */
    public RepositoryName repository() {
        if (name == null) {
            throw new IllegalStateException(kind + " has no repository name");
        }
        return name;
    }

    /** The reference part; only for endpoints that have one. */
    public String ref() {
        if (reference == null) {
            throw new IllegalStateException(kind + " has no reference");
        }
        return reference;
    }

    private static RepositoryName name(String raw) {
        if (raw.indexOf('%') >= 0) {
            throw new PlatformException(ErrorCode.NAME_INVALID,
                "repository names cannot contain encoded characters: " + abbreviate(raw));
        }
        return RepositoryName.of(raw);
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new PlatformException(ErrorCode.NOT_FOUND, "malformed path segment: " + abbreviate(raw));
        }
    }

    private static String abbreviate(String value) {
        return value.length() > 100 ? value.substring(0, 100) + "..." : value;
    }
}
