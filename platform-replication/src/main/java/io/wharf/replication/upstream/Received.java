package io.wharf.replication.upstream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A response whose body has not been read yet. It holds one of the upstream's concurrency permits
 * until the body is read or closed; every path must end in {@link #bytes}, {@link #text},
 * {@link #stream} (then closing that stream) or {@link #close}.
 */
final class Received implements AutoCloseable {

    private static final int ERROR_BODY_LIMIT = 64 * 1024;

    private final HttpResponse<InputStream> response;
    private final Runnable release;
    private final AtomicBoolean released = new AtomicBoolean();

    Received(HttpResponse<InputStream> response, Runnable release) {
        this.response = response;
        this.release = release;
    }

    int status() {
        return response.statusCode();
    }

    HttpHeaders headers() {
        return response.headers();
    }

    URI uri() {
        return response.uri();
    }

    String header(String name, String otherwise) {
        return response.headers().firstValue(name).orElse(otherwise);
    }

    /** The media type of the body without parameters, lower-case; empty when absent. */
    String contentType() {
        String value = header("Content-Type", "");
        int semicolon = value.indexOf(';');
        return (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * This response when its status is one of {@code ok}.
     *
     * @throws UpstreamException with the status and the body's error otherwise (the body is closed)
     */
    Received expect(String what, int... ok) {
        int status = status();
        for (int expected : ok) {
            if (status == expected) {
                return this;
            }
        }
        ErrorBody error = ErrorBody.parse(text());
        throw new UpstreamException(status, error.code(), what + " failed: " + status + " " + error.describe());
    }

    /**
     * The whole body (then closed).
     *
     * @throws UpstreamException when it is longer than {@code limit} bytes
     */
    byte[] bytes(int limit) {
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw new UpstreamException(status(), null, "response of " + uri() + " exceeds " + limit + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            close();
        }
    }

    /** Up to 64 KiB of the body as text, for error messages; never fails. */
    String text() {
        try (InputStream in = response.body()) {
            return new String(in.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } finally {
            close();
        }
    }

    /** The body as a stream that gives the permit back when closed. */
    InputStream stream() {
        return new FilterInputStream(response.body()) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    Received.this.close();
                }
            }
        };
    }

    /** Drops the body and gives the permit back; idempotent. */
    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            try {
                response.body().close();
            } catch (IOException ignored) {
                // the connection is dropped either way
            } finally {
                release.run();
            }
        }
    }
}
