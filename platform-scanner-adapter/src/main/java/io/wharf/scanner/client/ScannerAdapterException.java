package io.wharf.scanner.client;

/** An adapter could not be reached, or answered what the spec does not allow; the message says which. */
public class ScannerAdapterException extends RuntimeException {

    /** Why the call failed. */
    public enum Reason {
        /** No connection (refused, unknown host, TLS failure). */
        UNREACHABLE,
        /** The request took longer than {@link ScannerProperties#requestTimeout()}. */
        TIMEOUT,
        /** The adapter refused the credential (401 or 403). */
        UNAUTHORIZED,
        /** The adapter answered with another error status. */
        ERROR,
        /** The answer does not follow the spec (status, media type, body). */
        BAD_RESPONSE
    }

    private final Reason reason;
    private final int status;

    ScannerAdapterException(Reason reason, int status, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.status = status;
    }

    ScannerAdapterException(Reason reason, int status, String message) {
        super(message);
        this.reason = reason;
        this.status = status;
    }

    public Reason reason() {
        return reason;
    }

    /** The adapter's HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
