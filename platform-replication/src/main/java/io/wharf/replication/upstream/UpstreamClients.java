package io.wharf.replication.upstream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.core.crypto.InsecureTls;
import io.wharf.replication.upstream.Authorizer.Token;
import io.wharf.replication.upstream.Authorizer.TokenKey;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes {@link UpstreamClient}s and holds what they share: the HTTP clients (redirects never
 * followed by the JDK; one trusting every certificate, only for {@link UpstreamRegistry#insecure()}
 * upstreams), the token cache (Caffeine, per-entry expiry on the injected {@link Clock}), and per
 * upstream id the concurrency limit, rate-limit state and meters.
 */
@Component
public class UpstreamClients {

    private final UpstreamProperties properties;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Pause pause;
    private final RetryPolicy retries;
    private final String userAgent;
    private final Cache<TokenKey, Token> tokens;
    private final ConcurrentMap<String, UpstreamState> states = new ConcurrentHashMap<>();
    private final HttpClient http;
    private volatile HttpClient insecureHttp;

    /** The Spring constructor: meters and pause fall back to an in-memory registry and real sleeping. */
    @Autowired
    public UpstreamClients(UpstreamProperties properties, ObjectProvider<MeterRegistry> meters, Clock clock,
                           ObjectProvider<Pause> pause) {
        this(properties, meters.getIfAvailable(SimpleMeterRegistry::new), clock,
            pause.getIfAvailable(() -> Pause.sleeping(clock)));
    }

    /**
     * @param clock the time of token expiry, rate-limit observations and waits
     * @param pause where the clients wait (tests move a clock instead of sleeping)
     */
    public UpstreamClients(UpstreamProperties properties, MeterRegistry meters, Clock clock, Pause pause) {
        this.properties = properties;
        this.meters = meters;
        this.clock = clock;
        this.pause = pause;
        this.retries = new RetryPolicy(() -> ThreadLocalRandom.current().nextDouble());
        this.userAgent = "wharf/" + version();
        this.tokens = Caffeine.newBuilder()
            .maximumSize(10_000)
            .ticker(() -> nanos(clock.instant()))
            .expireAfter(Expiry.<TokenKey, Token>writing((key, token) -> token.cacheFor()))
            .build();
        this.http = httpClient(false);
    }

    /** A client of {@code registry}; clients of the same {@link UpstreamRegistry#id()} share limits and tokens. */
    public UpstreamClient client(UpstreamRegistry registry) {
        return client(registry, false);
    }

    /**
     * A client of {@code registry} for requests a client is waiting on (proxy cache, mirror): one
     * attempt, no 429 waits, short timeouts (see {@link Transport}); it shares limits and tokens with
     * {@link #client}.
     */
    public UpstreamClient interactive(UpstreamRegistry registry) {
        return client(registry, true);
    }

    private UpstreamClient client(UpstreamRegistry registry, boolean interactive) {
        UpstreamState state = states.computeIfAbsent(registry.id(),
            id -> new UpstreamState(id, properties.upstreamConcurrency(), meters));
        Transport transport = new Transport(registry, registry.insecure() ? insecureHttp() : http, state, properties,
            clock, pause, retries, userAgent, tokens, interactive);
        return new UpstreamClient(registry, transport, state, properties);
    }

    /** Forgets the tokens and the challenge of an upstream, e.g. after its URL or credentials changed. */
    public void evict(String upstreamId) {
        tokens.asMap().keySet().removeIf(key -> key.upstream().equals(upstreamId));
        UpstreamState state = states.get(upstreamId);
        if (state != null) {
            state.forgetChallenge();
        }
    }

    private HttpClient insecureHttp() {
        HttpClient client = insecureHttp;
        if (client == null) {
            synchronized (this) {
                if (insecureHttp == null) {
                    insecureHttp = httpClient(true);
                }
                client = insecureHttp;
            }
        }
        return client;
    }

    private HttpClient httpClient(boolean trustAll) {
        HttpClient.Builder builder = HttpClient.newBuilder()
            .connectTimeout(properties.upstreamConnectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1);
        if (trustAll) {
            builder.sslContext(InsecureTls.trustingEveryCertificate());
        }
        return builder.build();
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static String version() {
        try (InputStream in = UpstreamClients.class.getResourceAsStream(
                "/META-INF/maven/io.wharf/platform-replication/pom.properties")) {
            if (in != null) {
                Properties pom = new Properties();
                pom.load(in);
                return pom.getProperty("version", "dev");
            }
        } catch (IOException e) {
            // fall through
        }
        return "dev";
    }
}
