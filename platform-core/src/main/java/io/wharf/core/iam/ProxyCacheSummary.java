package io.wharf.core.iam;

import org.jspecify.annotations.Nullable;

/**
 * What a proxy-cache project holds and served (docs/proxy.md, "Metrics and console"): the upstream
 * it is bound to, its request counts summed over every node, and the bytes it holds.
 *
 * @param upstream  the registry endpoint it serves from, or null when that endpoint cannot be found
 * @param counts    its requests since it was created, as last written by the nodes (every node shows
 *                  the same)
 * @param cacheSize the bytes of the distinct blobs and manifests it holds
 */
public record ProxyCacheSummary(@Nullable Upstream upstream, Counts counts, long cacheSize) {

    /**
     * The registry endpoint of a proxy-cache project, as Harbor's project summary shows it.
     *
     * @param type Harbor's endpoint type ({@code docker-hub}, {@code docker-registry}, ...)
     */
    public record Upstream(long id, String name, String type, String url, boolean insecure, @Nullable String description) {
    }

    /**
     * A proxy-cache project's requests by outcome. Every manifest read (HEAD or GET) and blob GET of a
     * client counts once, as exactly one of hits, misses, stale and coalesced.
     *
     * @param hits         answered from the cache, without a download
     * @param misses       fetched from the upstream for this request
     * @param stale        answered from the cache because the upstream failed, refused (429) or no longer has it
     * @param coalesced    joined a download or refresh another request had started
     * @param fetchedBytes bytes of manifests and blobs fetched from the upstream
     */
    public record Counts(long hits, long misses, long stale, long coalesced, long fetchedBytes) {

        /** No requests. */
        public static final Counts NONE = new Counts(0, 0, 0, 0, 0);

        /** Every counted request. */
        public long requests() {
            return hits + misses + stale + coalesced;
        }

        /**
         * The share of requests answered from what the cache held (hits and stale serves), from 0 to 1;
         * null before the first request.
         */
        public @Nullable Double hitRate() {
            long requests = requests();
            return requests == 0 ? null : (double) (hits + stale) / requests;
        }
    }
}
