package io.wharf.core.error;

/**
 * Every error Wharf reports, with the HTTP status and message that go with it.
 *
 * <p>The first group are the codes of the OCI distribution specification, spelled as the spec spells
 * them, so {@code /v2} clients can act on them; the second group are platform codes used by the
 * REST API. A code's status is its usual one; {@link PlatformException} may carry another where the
 * spec asks for it (for example 416 for an upload chunk that does not continue the upload).
 */
public enum ErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(404, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    SIZE_INVALID(400, "provided length did not match content length"),
    RANGE_INVALID(416, "requested range not satisfiable"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    UNSUPPORTED(405, "the operation is unsupported"),
    TOOMANYREQUESTS(429, "too many requests"),
    PAGINATION_NUMBER_INVALID(400, "invalid number of results requested"),

    NOT_FOUND(404, "resource not found"),
    CONFLICT(409, "resource conflict"),
    PRECONDITION(412, "precondition failed"),
    /** A deletion refused because something else still refers to the resource (Harbor's {@code VIOLATE_FOREIGN_KEY_CONSTRAINT}). */
    REFERENCED(412, "the resource is referenced by others"),
    INVALID_ARGUMENT(400, "invalid argument"),
    QUOTA_EXCEEDED(403, "quota exceeded"),
    /**
     * A pull refused by the project's vulnerability policy (Harbor's code); raised with
     * {@link PlatformException#withMessage}, as docker prints the message.
     */
    PROJECTPOLICYVIOLATION(412, "the artifact cannot be pulled due to the project's policy"),
    UNKNOWN(500, "unknown error");

    private final int status;
    private final String message;

    ErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    /** The HTTP status this code is normally answered with. */
    public int status() {
        return status;
    }

    /** The spec's human-readable message for this code. */
    public String message() {
        return message;
    }
}
