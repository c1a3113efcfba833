package io.wharf.replication.upstream;

import com.github.benmanes.caffeine.cache.Cache;
import io.wharf.replication.upstream.Authorizer.Authorization;
import io.wharf.replication.upstream.UpstreamRateLimitedException.Kind;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Sends {@link Call}s to one upstream: one concurrency permit per exchange, the token flow, redirects
 * without credentials to other origins (R24), the rate-limit headers of every registry response (R20),
 * and retries (R21, R31).
 *
 * <p>On a 401 the challenge is remembered and the request is retried once with a new token; a 401 to
 * a token fetched for that very attempt means "no access" and fails at once, so it never loops. A
 * transient failure (5xx, I/O error, timeout) is retried after 2 s, 4 s, ...; a 429 after its
 * {@link RetryPolicy} wait, unless that wait exceeds {@code max-rate-limit-wait}: then
 * {@link UpstreamRateLimitedException} says when to come back. Every wait goes through {@link Pause}.
 *
 * <p>An <em>interactive</em> transport serves requests a client is waiting on (proxy cache, mirror):
 * one attempt (a 401 still gets its new token), a 429 is never sat out, the response headers must
 * arrive within {@code interactive-request-timeout} and a permit within {@code interactive-queue-wait}.
 * The caller then serves what it has cached or answers with a clear error, quickly (R6, R9).
 */
final class Transport {

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_REDIRECTS = 5;

    private final UpstreamRegistry registry;
    private final HttpClient http;
    private final UpstreamState state;
    private final UpstreamProperties properties;
    private final Clock clock;
    private final Pause pause;
    private final RetryPolicy retries;
    private final String userAgent;
    private final Authorizer authorizer;
    private final boolean interactive;

    Transport(UpstreamRegistry registry, HttpClient http, UpstreamState state, UpstreamProperties properties,
              Clock clock, Pause pause, RetryPolicy retries, String userAgent,
              Cache<Authorizer.TokenKey, Authorizer.Token> tokens, boolean interactive) {
        this.registry = registry;
        this.http = http;
        this.state = state;
        this.properties = properties;
        this.clock = clock;
        this.pause = pause;
        this.retries = retries;
        this.userAgent = userAgent;
        this.interactive = interactive;
        this.authorizer = new Authorizer(registry, state, tokens, this::send);
    }

    Authorizer authorizer() {
        return authorizer;
    }

    /**
     * Sends {@code call} until it gets an answer that is neither a 401 it can fix, a 429 it can sit out,
     * nor (when retryable) a transient failure. The caller owns the returned response.
     *
     * @throws UpstreamException on a 401 that a new token does not fix, or an I/O failure on the last attempt
     * @throws UpstreamRateLimitedException on a 429 not to be waited for here
     */
    Received send(Call call) {
        int failures = 0;
        int limited = 0;
        boolean reauthorized = false;
        List<String> scopes = call.scopes();
        int maxAttempts = interactive ? 1 : properties.upstreamMaxAttempts();
        Duration maxRateLimitWait = interactive ? Duration.ZERO : properties.maxRateLimitWait();
        while (true) {
            Authorization auth = call.authenticate() ? authorizer.authorize(scopes) : Authorization.NONE;
            Received received;
            try {
                received = attempt(call, auth.header());
            } catch (IOException e) {
                failures++;
                if (!call.retryable() || failures >= maxAttempts) {
                    throw new UpstreamException(0, null, describe(call) + " failed after " + failures
                        + " attempt(s): " + e, e);
                }
                pauseFor(retries.transientWait(failures));
                continue;
            }
            int status = received.status();
            if (status == 401 && call.authenticate()) {
                Optional<Challenge> challenge = Challenge.parse(received.headers());
                ErrorBody error = ErrorBody.parse(received.text());
                List<String> wanted = challenge.isEmpty() ? scopes : withScope(scopes, challenge.get().scope());
                boolean newScope = !wanted.equals(scopes);
                boolean resendable = call.body() == null || call.retryable();
                if (challenge.isEmpty() || reauthorized || !resendable || (auth.fresh() && !newScope)) {
                    throw new UpstreamException(401, error.code(), describe(call) + ": no access ("
                        + error.describe() + ")" + (auth.header() == null ? "" : " with a valid token"));
                }
                authorizer.rejected(auth, challenge.get());
                scopes = wanted;
                reauthorized = true;
                continue;
            }
            if (status == 429) {
                limited++;
                String contentType = received.contentType();
                ErrorBody error = ErrorBody.parse(received.text());
                Kind kind = RetryPolicy.classify(registry.kind() == UpstreamRegistry.Kind.DOCKER_HUB, contentType, error);
                state.countRateLimited(kind);
                Instant now = clock.instant();
                Duration wait = retries.rateLimitWait(kind, received.headers(), limited, state.rateLimit(), now);
                if (!call.retryable() || limited >= maxAttempts
                    || wait.compareTo(maxRateLimitWait) > 0) {
                    throw new UpstreamRateLimitedException(error.code(), describe(call) + ": rate limited (" + kind
                        + ", " + error.describe() + "); retry after " + now.plus(wait), kind, now.plus(wait));
                }
                pauseFor(wait);
                continue;
            }
            if (status >= 500 && call.retryable() && failures + 1 < maxAttempts) {
                failures++;
                received.close();
                pauseFor(retries.transientWait(failures));
                continue;
            }
            return received;
        }
    }

    /** One attempt: the request, then its redirects (credentials only to the registry's own origin). */
    private Received attempt(Call call, @Nullable String authorization) throws IOException {
        URI uri = call.uri();
        String method = call.method();
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(interactive ? properties.interactiveRequestTimeout() : properties.upstreamRequestTimeout())
                .header("User-Agent", userAgent);
            call.headers().forEach(request::header);
            if (authorization != null && sameOrigin(uri, registry.url())) {
                request.header("Authorization", authorization);
            }
            boolean withBody = call.body() != null && hop == 0;
            request.method(method, withBody ? call.body().get() : HttpRequest.BodyPublishers.noBody());
            Received received = exchange(request.build(), call.kind());
            if (!call.followRedirects() || !REDIRECTS.contains(received.status())) {
                return received;
            }
            Optional<String> location = received.headers().firstValue("Location");
            received.close();
            if (location.isEmpty() || hop >= MAX_REDIRECTS) {
                throw new IOException(describe(call) + ": redirect without Location or more than "
                    + MAX_REDIRECTS + " redirects");
            }
            uri = uri.resolve(location.get());
            if (received.status() == 303) {
                method = "GET";
            }
        }
    }

    /** Sends one HTTP request holding a permit, counts it and reads its rate-limit headers. */
    private Received exchange(HttpRequest request, RequestKind kind) throws IOException {
        Runnable release;
        try {
            release = interactive ? state.acquire(properties.interactiveQueueWait()) : state.acquire();
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            state.countRequest(request.method(), kind, status);
            if (sameOrigin(request.uri(), registry.url())) {
                state.observe(response.headers(), kind == RequestKind.MANIFEST, clock.instant());
                if (kind == RequestKind.MANIFEST && status == 200) {
                    if (request.method().equals("GET")) {
                        state.countManifestGet();
                    } else if (request.method().equals("HEAD")) {
                        state.countManifestHead();
                    }
                }
            }
            return new Received(response, release);
        } catch (IOException | RuntimeException e) {
            release.run();
            state.countRequest(request.method(), kind, 0);
            throw e;
        } catch (InterruptedException e) {
            release.run();
            throw interrupted(e);
        }
    }

    private void pauseFor(Duration wait) {
        try {
            pause.until(clock.instant().plus(wait));
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private static UpstreamException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new UpstreamException(0, null, "interrupted while talking to the upstream", e);
    }

    private static List<String> withScope(List<String> scopes, @Nullable String scope) {
        if (scope == null || scope.isBlank() || scopes.contains(scope)) {
            return scopes;
        }
        List<String> all = new ArrayList<>(scopes);
        all.add(scope);
        return List.copyOf(all);
    }

    static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && a.getHost() != null
            && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private String describe(Call call) {
        return call.method() + " " + call.uri();
    }
}
