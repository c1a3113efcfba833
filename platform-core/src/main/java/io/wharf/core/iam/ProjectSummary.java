package io.wharf.core.iam;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * What a project holds, as Harbor's project summary reports it.
 *
 * @param repositoryCount the number of repositories in the project
 * @param memberCounts    the number of members per role (every role present, 0 when none), or null
 *                        when the caller may not see the project's members
 * @param proxyCache      the upstream, request counts and cache size of a proxy-cache project; null for
 *                        other projects (and when no module fills proxy caches)
 */
public record ProjectSummary(long repositoryCount, @Nullable Map<Role, Long> memberCounts,
                             @Nullable ProxyCacheSummary proxyCache) {
}
