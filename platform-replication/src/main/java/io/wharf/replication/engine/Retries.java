package io.wharf.replication.engine;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.replication.upstream.UpstreamException;

import java.io.UncheckedIOException;

/** Which failures of a copy are worth another attempt. */
final class Retries {

    private Retries() {
    }

    /**
     * Network failures, upstream 5xx, and a blob whose bytes did not match its digest or size (a
     * transfer cut short) are transient; a refusal (4xx), an invalid manifest or a missing source is not.
     */
    static boolean isTransient(RuntimeException e) {
        if (e instanceof UncheckedIOException) {
            return true;
        }
        if (e instanceof UpstreamException u) {
            // status 0: no response arrived (I/O error, timeout), unless the thread was interrupted
            return u.status() == 0 ? !(u.getCause() instanceof InterruptedException) : u.status() >= 500;
        }
        if (e instanceof PlatformException p) {
            return p.code() == ErrorCode.DIGEST_INVALID || p.code() == ErrorCode.SIZE_INVALID;
        }
        return false;
    }
}
