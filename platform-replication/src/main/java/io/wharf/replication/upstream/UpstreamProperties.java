package io.wharf.replication.upstream;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * {@code wharf.replication.*}: how Wharf talks to upstream registries.
 *
 * @param upstreamConcurrency    concurrent requests per upstream (R30); an open blob stream holds one
 * @param upstreamConnectTimeout TCP and TLS connect timeout
 * @param upstreamRequestTimeout time until an upstream's response headers arrive
 * @param upstreamMaxAttempts    attempts of one request on transient failures (5xx, I/O errors, timeouts)
 *                               and on 429s, the first included
 * @param maxRateLimitWait       the longest 429 wait the client sits out itself; a longer one throws
 *                               {@link UpstreamRateLimitedException} so the caller can pause instead
 * @param blobResumeAttempts     how often a broken blob read is resumed with {@code Range} (R12)
 * @param dockerHubApiUrl        Docker Hub's web API, which lists the repositories of a namespace
 * @param interactiveRequestTimeout time until the response headers arrive for a request a client waits
 *                               on (proxy cache, mirror); such requests are never retried and never sit
 *                               out a 429, so the client gets stale content or a clear error at once (R6, R9)
 * @param interactiveQueueWait   how long such a request waits for one of the upstream's
 *                               {@link #upstreamConcurrency} permits before it gives up (R6's bounded queue)
 */
@ConfigurationProperties("wharf.replication")
public record UpstreamProperties(
        @DefaultValue("3") int upstreamConcurrency,
        @DefaultValue("10s") Duration upstreamConnectTimeout,
        @DefaultValue("60s") Duration upstreamRequestTimeout,
        @DefaultValue("5") int upstreamMaxAttempts,
        @DefaultValue("10m") Duration maxRateLimitWait,
        @DefaultValue("5") int blobResumeAttempts,
        @DefaultValue("https://hub.docker.com") URI dockerHubApiUrl,
        @DefaultValue("5s") Duration interactiveRequestTimeout,
        @DefaultValue("30s") Duration interactiveQueueWait) {

    /** The defaults, for code that builds clients without Spring. */
    public static UpstreamProperties defaults() {
        return new UpstreamProperties(3, Duration.ofSeconds(10), Duration.ofSeconds(60), 5, Duration.ofMinutes(10), 5,
            UpstreamRegistry.DOCKER_HUB_API, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    /** A copy with another {@link #maxRateLimitWait}. */
    public UpstreamProperties withMaxRateLimitWait(Duration wait) {
        return new UpstreamProperties(upstreamConcurrency, upstreamConnectTimeout, upstreamRequestTimeout, upstreamMaxAttempts, wait,
            blobResumeAttempts, dockerHubApiUrl, interactiveRequestTimeout, interactiveQueueWait);
    }

    /** A copy with another {@link #upstreamConcurrency}. */
    public UpstreamProperties withUpstreamConcurrency(int concurrency) {
        return new UpstreamProperties(concurrency, upstreamConnectTimeout, upstreamRequestTimeout, upstreamMaxAttempts, maxRateLimitWait,
            blobResumeAttempts, dockerHubApiUrl, interactiveRequestTimeout, interactiveQueueWait);
    }
}
