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
    private final @Nullable String clientMessage;

    /** An error with the code's usual status and a detail (a string or a small JSON-able value). */
    public PlatformException(ErrorCode code, @Nullable Object detail) {
        this(code, code.status(), detail);
    }

    /** An error with an explicit HTTP status, where the spec asks for another than the code's usual one. */
    public PlatformException(ErrorCode code, int status, @Nullable Object detail) {
        this(code, status, detail, null);
    }

    private PlatformException(ErrorCode code, int status, @Nullable Object detail, @Nullable String clientMessage) {
        super(code.name() + (detail == null ? "" : ": " + detail), null, false, false);
        this.code = code;
        this.status = status;
        this.detail = detail;
        this.clientMessage = clientMessage;
    }

    /**
     * An error whose {@code message} itself is {@code message} in every protocol, for the few errors a
     * registry client must show its user (docker and skopeo print an OCI error's {@code message}, not
     * its {@code detail}): an immutable tag, for one.
     */
    public static PlatformException withMessage(ErrorCode code, String message) {
        return new PlatformException(code, code.status(), message, message);
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

    /** The message to answer instead of the code's own, or null for the code's own. */
    public @Nullable String clientMessage() {
        return clientMessage;
    }
}
