package io.wharf.replication.upstream;

import org.jspecify.annotations.Nullable;

/**
 * An upstream request that failed for good: an error status after any retries, an I/O failure after
 * the last attempt, or an answer Wharf cannot use (a manifest whose digest does not match).
 */
public class UpstreamException extends RuntimeException {

    private final int status;
    private final @Nullable String code;

    /**
     * @param status  the HTTP status, or 0 when no response arrived (I/O error, timeout) or none applies
     * @param code    the OCI error code of the body ({@code MANIFEST_UNKNOWN}, {@code DENIED}, ...), or null
     * @param message what failed, for logs and task reports
     */
    public UpstreamException(int status, @Nullable String code, String message) {
        this(status, code, message, null);
    }

    public UpstreamException(int status, @Nullable String code, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status, or 0 when no response arrived. */
    public int status() {
        return status;
    }

    /** The OCI error code of the response body, or null. */
    public @Nullable String code() {
        return code;
    }

    /** Whether the upstream said the thing does not exist (404). */
    public boolean isNotFound() {
        return status == 404;
    }

    /** Whether the upstream refused access (401 or 403), e.g. a missing or private repository on Docker Hub. */
    public boolean isUnauthorized() {
        return status == 401 || status == 403;
    }
}
