package io.wharf.web.console.project;

import io.wharf.core.iam.ProxyCacheSummary;
import io.wharf.web.console.Sizes;
import org.jspecify.annotations.Nullable;

import java.util.Locale;

/**
 * The proxy-cache panel of a project's page: the upstream it serves from, its cache size and hit rate
 * and its request counts (of every node).
 *
 * @param upstream  the registry endpoint, or null when it no longer exists
 * @param cacheSize the bytes it holds, as people read them
 * @param hitRate   the share of requests answered from the cache, as a percentage ({@code 75.0 %}), or
 *                  {@code –} before the first request
 * @param fetched   the bytes fetched from the upstream, as people read them
 */
record ProxyCachePanel(ProxyCacheSummary.@Nullable Upstream upstream, ProxyCacheSummary.Counts counts, String cacheSize,
                       String hitRate, String fetched) {

    static ProxyCachePanel of(ProxyCacheSummary summary) {
        Double rate = summary.counts().hitRate();
        return new ProxyCachePanel(summary.upstream(), summary.counts(), Sizes.human(summary.cacheSize()),
            rate == null ? "–" : String.format(Locale.ROOT, "%.1f %%", rate * 100), Sizes.human(summary.counts().fetchedBytes()));
    }
}
