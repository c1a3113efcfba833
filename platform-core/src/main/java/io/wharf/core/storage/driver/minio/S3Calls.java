package io.wharf.core.storage.driver.minio;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.MinioException;
import io.minio.errors.ServerException;
import io.wharf.core.storage.driver.PathNotFoundException;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs MinIO client calls and translates their exceptions into the driver contract: a missing
 * object ({@code NoSuchKey}, which the client also reports for a bare 404) becomes
 * {@link PathNotFoundException}; any other failure an {@link IOException} carrying the cause.
 * Calls that may be repeated (reads, deletes) go through {@link #retrying}, as the AWS SDKs do: a
 * store answers a 5xx now and then (S3's {@code InternalError} and {@code SlowDown}, a proxy's
 * error page), and a garbage collection or a stat should not fail for one.
 */
final class S3Calls {

    /** A MinIO client call, which throws the client's checked exceptions. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws MinioException, GeneralSecurityException, IOException;
    }

    /** A MinIO client call without a result. */
    @FunctionalInterface
    interface VoidCall {
        void run() throws MinioException, GeneralSecurityException, IOException;
    }

    private static final Pattern NON_XML_STATUS = Pattern.compile("Response code: (\\d{3})");

    /** How many times a read is tried when the store answers with a server error. */
    static final int ATTEMPTS = 3;

    /** A call to the store that may be repeated as a whole (a read, or a delete of keys that may be gone). */
    @FunctionalInterface
    interface Read<T> {
        T run() throws IOException;
    }

    private S3Calls() {
    }

    /**
     * Runs {@code read}, again after a short pause when it failed with a server error (at most
     * {@link #ATTEMPTS} times in all); any other failure is thrown at once.
     */
    static <T> T retrying(Read<T> read) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.run();
            } catch (IOException e) {
                if (attempt >= ATTEMPTS || !isServerError(e.getCause())) {
                    throw e;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Whether the store failed on its side: a 5xx error, in S3's XML or not (the error page of a
     * proxy in front of the store, or of the store's own HTTP server).
     */
    static boolean isServerError(Throwable e) {
        if (e instanceof InvalidResponseException invalid) {
            // the client says the status only in its message: "Non-XML response from server. Response code: 502, ..."
            Matcher status = NON_XML_STATUS.matcher(String.valueOf(invalid.getMessage()));
            return status.find() && Integer.parseInt(status.group(1)) >= 500;
        }
        return e instanceof ServerException
            || e instanceof ErrorResponseException error && error.response() != null && error.response().code() >= 500;
    }

    /** Runs {@code call} on behalf of {@code path}, translating its failures. */
    static <T> T call(String path, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (ErrorResponseException e) {
            if (isMissingObject(e)) {
                throw (PathNotFoundException) new PathNotFoundException(path).initCause(e);
            }
            throw new IOException("S3 error " + e.errorResponse().code() + " on " + path, e);
        } catch (MinioException | GeneralSecurityException e) {
            throw new IOException("S3 request failed on " + path, e);
        }
    }

    /** Like {@link #call(String, Call)}, for calls without a result. */
    static void run(String path, VoidCall call) throws IOException {
        call(path, () -> {
            call.run();
            return null;
        });
    }

    /** Whether {@code e} reports the given S3 error {@code code}, e.g. {@code InvalidRange}. */
    static boolean hasCode(ErrorResponseException e, String code) {
        return code.equals(e.errorResponse().code());
    }

    private static boolean isMissingObject(ErrorResponseException e) {
        return hasCode(e, "NoSuchKey");
    }
}
