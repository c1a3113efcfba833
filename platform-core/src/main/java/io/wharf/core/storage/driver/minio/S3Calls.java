package io.wharf.core.storage.driver.minio;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.wharf.core.storage.driver.PathNotFoundException;

import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * Runs MinIO client calls and translates their exceptions into the driver contract: a missing
 * object ({@code NoSuchKey}, which the client also reports for a bare 404) becomes
 * {@link PathNotFoundException}; any other failure an {@link IOException} carrying the cause.
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

    private S3Calls() {
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
