package io.wharf.api.iam;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import io.wharf.core.iam.ProjectSummary;
import io.wharf.core.iam.ProxyCacheSummary;
import io.wharf.core.iam.Role;
import io.wharf.core.quota.Quota;
import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * Harbor's {@code ProjectSummary}: the repository count; the member counts per role and the storage
 * {@code quota} ({@code hard} and {@code used} bytes) for callers who may see the members; for a proxy-cache project Harbor's {@code registry} (the upstream endpoint) and
 * Wharf's extension {@code proxy_cache} (request counts of every node and cache size). Absent fields
 * are left out, as Harbor does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ProjectSummary")
record ProjectSummaryJson(
    @JsonProperty("repo_count") long repoCount,
    @JsonProperty("project_admin_count") @Nullable Long projectAdminCount,
    @JsonProperty("maintainer_count") @Nullable Long maintainerCount,
    @JsonProperty("developer_count") @Nullable Long developerCount,
    @JsonProperty("guest_count") @Nullable Long guestCount,
    @JsonProperty("limited_guest_count") @Nullable Long limitedGuestCount,
    @Schema(description = "The project's storage quota: hard limit and usage in bytes (-1: no limit)")
    @Nullable SummaryQuota quota,
    @Schema(description = "The registry endpoint a proxy-cache project serves from (Harbor's Registry, without credentials)")
    @Nullable Registry registry,
    @JsonProperty("proxy_cache")
    @Schema(description = "Wharf extension: what a proxy-cache project served and holds")
    @Nullable ProxyCache proxyCache) {

    /** Harbor's {@code ProjectSummaryQuota}: {@code {"hard":{"storage":N},"used":{"storage":N}}}. */
    @Schema(name = "ProjectSummaryQuota")
    record SummaryQuota(Map<String, Long> hard, Map<String, Long> used) {
    }

    /** Harbor's {@code Registry} as its project summary shows it. */
    @Schema(name = "ProjectSummaryRegistry")
    record Registry(long id, String name, String type, String url, boolean insecure, @Nullable String description) {
    }

    /** Wharf's proxy-cache statistics of a project, summed over every node. */
    @Schema(name = "ProxyCacheStatistics")
    record ProxyCache(
        @Schema(description = "Requests answered from the cache without a download") long hits,
        @Schema(description = "Requests answered by fetching from the upstream") long misses,
        @Schema(description = "Requests answered from the cache because the upstream failed or refused (429)") long stale,
        @Schema(description = "Requests that joined a download or refresh already in flight") long coalesced,
        @JsonProperty("fetched_bytes") @Schema(description = "Bytes of manifests and blobs fetched from the upstream") long fetchedBytes,
        @JsonProperty("hit_rate") @Schema(description = "(hits + stale) / all requests, 0 to 1; null before the first request")
        @Nullable Double hitRate,
        @JsonProperty("cache_size") @Schema(description = "Bytes of the distinct blobs and manifests the project holds") long cacheSize) {
    }

    static ProjectSummaryJson of(ProjectSummary summary, @Nullable Quota quota) {
        Map<Role, Long> members = summary.memberCounts();
        ProxyCacheSummary proxy = summary.proxyCache();
        Registry registry = proxy == null || proxy.upstream() == null ? null : new Registry(proxy.upstream().id(),
            proxy.upstream().name(), proxy.upstream().type(), proxy.upstream().url(), proxy.upstream().insecure(),
            proxy.upstream().description());
        ProxyCache cache = proxy == null ? null : new ProxyCache(proxy.counts().hits(), proxy.counts().misses(),
            proxy.counts().stale(), proxy.counts().coalesced(), proxy.counts().fetchedBytes(), proxy.counts().hitRate(),
            proxy.cacheSize());
        return new ProjectSummaryJson(summary.repositoryCount(), count(members, Role.PROJECT_ADMIN), count(members, Role.MAINTAINER),
            count(members, Role.DEVELOPER), count(members, Role.GUEST), count(members, Role.LIMITED_GUEST),
            quota == null ? null : new SummaryQuota(Map.of("storage", quota.hard()), Map.of("storage", quota.used())), registry, cache);
    }

    private static @Nullable Long count(@Nullable Map<Role, Long> members, Role role) {
        return members == null ? null : members.get(role);
    }
}
