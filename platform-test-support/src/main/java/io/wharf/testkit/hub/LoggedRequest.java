package io.wharf.testkit.hub;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request an emulated host received, for assertions. It is logged when it arrives, before any
 * answer, so a client that has seen the response always finds it in the log; the status is set just
 * before the response goes out and stays 0 when the connection was dropped without one.
 */
public final class LoggedRequest {

    private final DockerHubEmulator.Role role;
    private final String method;
    private final String path;
    private final String query;
    private final Map<String, List<String>> headers;
    private final Instant at;
    private final AtomicInteger status = new AtomicInteger();

    LoggedRequest(DockerHubEmulator.Role role, String method, String path, String query,
                  Map<String, List<String>> headers, Instant at) {
        this.role = role;
        this.method = method;
        this.path = path;
        this.query = query;
        this.headers = headers;
        this.at = at;
    }

    /** Which emulated host got it. */
    public DockerHubEmulator.Role role() {
        return role;
    }

    public String method() {
        return method;
    }

    /** The decoded path, e.g. {@code /v2/library/nginx/manifests/latest}. */
    public String path() {
        return path;
    }

    /** The raw query, or "" when none. */
    public String query() {
        return query;
    }

    /** The request headers, names in lower case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header (case-insensitive name). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Whether the request carried an {@code Authorization} header. */
    public boolean hasAuthorization() {
        return header("Authorization").isPresent();
    }

    /** The emulator clock's time at arrival. */
    public Instant at() {
        return at;
    }

    /** The response status, or 0 when none was sent (connection dropped). */
    public int status() {
        return status.get();
    }

    void status(int code) {
        status.set(code);
    }

    @Override
    public String toString() {
        return role + " " + method + " " + path + (query.isEmpty() ? "" : "?" + query) + " -> " + status()
            + (hasAuthorization() ? " (authorized)" : "");
    }
}
