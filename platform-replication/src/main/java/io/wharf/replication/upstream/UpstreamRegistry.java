package io.wharf.replication.upstream;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.util.Objects;

/**
 * A remote registry Wharf talks to, as {@link UpstreamClients#client} needs it.
 *
 * @param id        a stable identifier (the endpoint's id or name): tags the metrics, keys the token
 *                  cache, the rate-limit state and the concurrency limit
 * @param kind      what the registry is; decides Docker Hub's name rules and listing API
 * @param url       the registry's base URL, without {@code /v2} (e.g. {@code https://registry-1.docker.io});
 *                  a trailing slash is dropped
 * @param hubApiUrl the Docker Hub web API used for listing repositories ({@code https://hub.docker.com}
 *                  when null); only read for {@link Kind#DOCKER_HUB}
 * @param username  the account to authenticate as, or null for anonymous access
 * @param secret    the password or access token of {@code username}, or null
 * @param insecure  whether TLS certificates (and host names) go unchecked; only for test setups
 */
public record UpstreamRegistry(String id, Kind kind, URI url, @Nullable URI hubApiUrl, @Nullable String username,
                               @Nullable String secret, boolean insecure) {

    /** The registry API host of Docker Hub. */
    public static final URI DOCKER_HUB_REGISTRY = URI.create("https://registry-1.docker.io");
    /** The web API host of Docker Hub, which lists repositories. */
    public static final URI DOCKER_HUB_API = URI.create("https://hub.docker.com");

    /** The kinds of registry Wharf replicates with. */
    public enum Kind { DOCKER_HUB, DOCKER_REGISTRY, HARBOR, WHARF }

    public UpstreamRegistry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(url, "url");
        String text = url.toString();
        if (text.endsWith("/")) {
            url = URI.create(text.substring(0, text.length() - 1));
        }
        if (hubApiUrl == null && kind == Kind.DOCKER_HUB) {
            hubApiUrl = DOCKER_HUB_API;
        }
    }

    /** Docker Hub at its public hosts, anonymous when {@code username} is null. */
    public static UpstreamRegistry dockerHub(String id, @Nullable String username, @Nullable String secret) {
        return new UpstreamRegistry(id, Kind.DOCKER_HUB, DOCKER_HUB_REGISTRY, DOCKER_HUB_API, username, secret, false);
    }

    /** Whether a username and a secret are both configured. */
    public boolean hasCredentials() {
        return username != null && !username.isEmpty() && secret != null;
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "UpstreamRegistry[id=" + id + ", kind=" + kind + ", url=" + url + ", username=" + username
            + ", secret=" + (secret == null ? "none" : "***") + ", insecure=" + insecure + "]";
    }
}
