package io.wharf.replication.policy;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * A policy as an administrator writes it (Harbor's field names in the API).
 *
 * @param srcRegistryId             the endpoint to pull from, or null to push from Wharf
 * @param destRegistryId            the endpoint to push to, or null to pull into Wharf
 * @param destNamespace             where names land: a local project for pulls, a remote namespace
 *                                  for pushes; null or empty keeps source names
 * @param destNamespaceReplaceCount how {@code destNamespace} rewrites names ({@link NameRewrite})
 * @param cron                      for scheduled policies: a cron expression (Harbor's six fields,
 *                                  seconds first), evaluated in UTC
 * @param concurrency               how many artifacts are copied at once (1–10)
 * @param speedKb                   bandwidth limit per execution in KiB/s; 0 for none
 * @param rateLimitFloor            pause when the upstream's remaining pull budget is below this
 */
public record PolicySpec(String name, @Nullable String description, @Nullable Long srcRegistryId,
                         @Nullable Long destRegistryId, @Nullable String destNamespace, int destNamespaceReplaceCount,
                         TriggerType trigger, @Nullable String cron, List<PolicyFilter> filters, boolean override,
                         boolean replicateDeletion, boolean enabled, int concurrency, int speedKb, int rateLimitFloor) {
}
