package io.wharf.replication.upstream;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One logical upstream request, as {@link Transport} sends it (with authentication, retries and
 * redirects as it says).
 *
 * @param authenticate    whether the registry's challenge applies (false for the token server, the Hub API)
 * @param scopes          the token scopes the request needs (may be empty, e.g. {@code GET /v2/})
 * @param body            makes the body for each attempt; null for none
 * @param retryable       whether transient failures and 429s may be retried (false for one-shot streams)
 * @param followRedirects whether 301/302/303/307/308 are followed (blob reads)
 */
record Call(String method, URI uri, RequestKind kind, boolean authenticate, List<String> scopes,
            Map<String, String> headers, @Nullable Supplier<HttpRequest.BodyPublisher> body, boolean retryable,
            boolean followRedirects) {

    /** An authenticated, retryable request to the registry without a body. */
    static Call registry(String method, URI uri, RequestKind kind, List<String> scopes) {
        return new Call(method, uri, kind, true, scopes, Map.of(), null, true, false);
    }

    /** A retryable GET outside the registry's authentication (token server, Hub API). */
    static Call plain(URI uri, RequestKind kind) {
        return new Call("GET", uri, kind, false, List.of(), Map.of(), null, true, false);
    }

    Call header(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Call(method, uri, kind, authenticate, scopes, copy, body, retryable, followRedirects);
    }

    Call body(Supplier<HttpRequest.BodyPublisher> publisher, boolean repeatable) {
        return new Call(method, uri, kind, authenticate, scopes, headers, publisher, retryable && repeatable,
            followRedirects);
    }

    Call followingRedirects() {
        return new Call(method, uri, kind, authenticate, scopes, headers, body, retryable, true);
    }

    Call once() {
        return new Call(method, uri, kind, authenticate, scopes, headers, body, false, followRedirects);
    }
}
