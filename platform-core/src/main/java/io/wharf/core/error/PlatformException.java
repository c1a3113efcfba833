package io.wharf.core.error;

import org.jspecify.annotations.Nullable;

/**
 * The one exception core code throws for a failure a client should hear about. The API layer maps it
 * to the protocol's error format; nothing else needs to catch it.
 */
public class PlatformException extends RuntimeException {

    private final ErrorCode code;
    private final int status;
    private final @Nullable Object detail;

    /** An error with the code's usual status and a detail (a string or a small JSON-able value). */
    public PlatformException(ErrorCode code, @Nullable Object detail) {
        this(code, code.status(), detail);
    }

    /** An error with an explicit HTTP status, where the spec asks for another than the code's usual one. */
    public PlatformException(ErrorCode code, int status, @Nullable Object detail) {
        super(code.name() + (detail == null ? "" : ": " + detail), null, false, false);
        this.code = code;
        this.status = status;
        this.detail = detail;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    public @Nullable Object detail() {
        return detail;
    }
}
