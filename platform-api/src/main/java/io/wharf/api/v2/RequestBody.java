package io.wharf.api.v2;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import jakarta.servlet.http.HttpServletRequest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body whose read failures (the client went away, sent less than it declared, timed out)
 * surface as {@link ErrorCode#BLOB_UPLOAD_INVALID}, a client error, rather than as an I/O failure
 * of the server. The store then discards what it had received, as for any failed write. Counts
 * the bytes read, for the push meters ({@link RegistryTraffic}).
 */
final class RequestBody extends FilterInputStream {

    private long count;

    private RequestBody(InputStream in) {
        super(in);
    }

    static RequestBody of(HttpServletRequest request) throws IOException {
        return new RequestBody(request.getInputStream());
    }

    /** The bytes read so far (the push traffic this request brought in). */
    long count() {
        return count;
    }

    @Override
    public int read() {
        try {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) {
        try {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private static PlatformException failed(IOException e) {
        return new PlatformException(ErrorCode.BLOB_UPLOAD_INVALID, "the request body could not be read: " + e.getMessage());
    }
}
