package io.wharf.replication.upstream;

import com.github.benmanes.caffeine.cache.Cache;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The registry token flow (UPSTREAMS.md §1.2, R19, R23): answers the upstream's challenge with a
 * Bearer token from its realm, or with Basic credentials, and caches tokens per upstream, account and
 * scope for {@code expires_in} (60 s when absent) minus 30 s.
 *
 * <p>Credentials go to a token realm only when its host is the registry's host or shares its
 * registrable domain (the last two labels; IP literals and single-label hosts must be equal);
 * any other realm is asked anonymously, so a hostile challenge cannot harvest them.
 */
final class Authorizer {

    /** Token lifetime when the token server does not say. */
    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    /** Tokens are dropped this long before they expire. */
    static final Duration EARLY_REFRESH = Duration.ofSeconds(30);
    private static final int TOKEN_BODY_LIMIT = 1 << 20;

    /** A token cache key: the upstream, the account ("" for anonymous) and the space-joined scopes. */
    record TokenKey(String upstream, String username, String scopes) {
    }

    /** A token and how long it may be cached. */
    record Token(String value, Duration cacheFor) {
    }

    /**
     * What a request carries.
     *
     * @param header the {@code Authorization} value, or null for none
     * @param key    the cache key of the token used, or null
     * @param fresh  whether the token was fetched for this very attempt (a 401 then means no access)
     */
    record Authorization(@Nullable String header, @Nullable TokenKey key, boolean fresh) {
        static final Authorization NONE = new Authorization(null, null, false);
    }

    private final UpstreamRegistry registry;
    private final UpstreamState state;
    private final Cache<TokenKey, Token> tokens;
    private final Function<Call, Received> send;

    /** @param send sends a call without registry authentication, with retries (the token request) */
    Authorizer(UpstreamRegistry registry, UpstreamState state, Cache<TokenKey, Token> tokens,
               Function<Call, Received> send) {
        this.registry = registry;
        this.state = state;
        this.tokens = tokens;
        this.send = send;
    }

    /** The authorization for a request needing {@code scopes}, from the last challenge seen (none before any). */
    Authorization authorize(List<String> scopes) {
        Challenge challenge = state.challenge();
        if (challenge == null) {
            return Authorization.NONE;
        }
        if (!challenge.bearer()) {
            return registry.hasCredentials() ? new Authorization(basic(), null, false) : Authorization.NONE;
        }
        TokenKey key = new TokenKey(registry.id(), registry.hasCredentials() ? registry.username() : "",
            String.join(" ", scopes));
        Token cached = tokens.getIfPresent(key);
        if (cached != null) {
            return new Authorization("Bearer " + cached.value(), key, false);
        }
        Token token = fetch(challenge, scopes);
        if (token.cacheFor().compareTo(Duration.ZERO) > 0) {
            tokens.put(key, token);
        }
        return new Authorization("Bearer " + token.value(), key, true);
    }

    /** A 401 answered {@code used}: remember the challenge and forget the token that failed. */
    void rejected(Authorization used, Challenge challenge) {
        state.challenge(challenge);
        if (used.key() != null) {
            tokens.invalidate(used.key());
        }
    }

    /**
     * A token for {@code scopes} from the challenge's realm, with credentials when the realm may see them.
     *
     * @throws UpstreamException when the token server refuses (401: bad credentials) or answers no token
     */
    Token fetch(Challenge challenge, List<String> scopes) {
        if (challenge.realm() == null) {
            throw new UpstreamException(401, null, registry.url() + " challenges without a token realm");
        }
        StringBuilder uri = new StringBuilder(challenge.realm()).append(challenge.realm().contains("?") ? '&' : '?');
        if (challenge.service() != null) {
            uri.append("service=").append(encode(challenge.service())).append('&');
        }
        scopes.forEach(scope -> uri.append("scope=").append(encode(scope)).append('&'));
        URI realm = URI.create(uri.substring(0, uri.length() - 1));
        boolean withCredentials = registry.hasCredentials() && mayReceiveCredentials(realm);
        Call call = Call.plain(realm, RequestKind.TOKEN);
        if (withCredentials) {
            call = call.header("Authorization", basic());
        }
        Received received = send.apply(call);
        if (received.status() != 200) {
            ErrorBody error = ErrorBody.parse(received.text());
            String who = withCredentials ? "the credentials of " + registry.username() : "anonymous access";
            throw new UpstreamException(received.status(), error.code(), "token server " + realm.getHost()
                + " refused " + who + " (" + received.status() + ", " + error.describe() + ")");
        }
        return token(received.bytes(TOKEN_BODY_LIMIT), realm);
    }

    private static Token token(byte[] body, URI realm) {
        try {
            JsonNode json = ErrorBody.JSON.readTree(body);
            String value = json.path("token").asString("");
            if (value.isEmpty()) {
                value = json.path("access_token").asString("");
            }
            if (value.isEmpty()) {
                throw new UpstreamException(200, null, "token server " + realm.getHost() + " sent no token");
            }
            long expiresIn = json.path("expires_in").asLong(0);
            Duration lifetime = expiresIn > 0 ? Duration.ofSeconds(expiresIn) : DEFAULT_LIFETIME;
            return new Token(value, lifetime.minus(EARLY_REFRESH));
        } catch (JacksonException e) {
            throw new UpstreamException(200, null, "token server " + realm.getHost() + " sent no JSON", e);
        }
    }

    /** Whether the token realm may receive the registry's credentials (R23). */
    boolean mayReceiveCredentials(URI realm) {
        return sameRegistrableDomain(realm.getHost(), registry.url().getHost());
    }

    static boolean sameRegistrableDomain(@Nullable String a, @Nullable String b) {
        if (a == null || b == null) {
            return false;
        }
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        if (x.equals(y)) {
            return true;
        }
        if (isLiteralOrSingleLabel(x) || isLiteralOrSingleLabel(y)) {
            return false;
        }
        return lastTwoLabels(x).equals(lastTwoLabels(y));
    }

    private static boolean isLiteralOrSingleLabel(String host) {
        return host.indexOf('.') < 0 || host.contains(":") || host.startsWith("[") || host.matches("[0-9.]+");
    }

    private static String lastTwoLabels(String host) {
        String trimmed = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        int last = trimmed.lastIndexOf('.');
        int secondLast = trimmed.lastIndexOf('.', last - 1);
        return trimmed.substring(secondLast + 1);
    }

    String basic() {
        String pair = registry.username() + ":" + registry.secret();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
