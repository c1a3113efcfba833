package io.wharf.core.iam;

import java.util.Optional;

/**
 * What core asks the module that fills proxy-cache projects about one (docs/proxy.md, "Metrics and
 * console"): implemented by the replication module, optional (without it, summaries show no
 * proxy-cache statistics). Implementations check no access: their callers did.
 */
public interface ProxyCacheStatus {

    /**
     * Registry endpoint {@code registryId} as a proxy-cache project's summary shows it (never its credentials).
     *
     * @return empty when there is no such endpoint
     */
    Optional<ProxyCacheSummary.Upstream> upstream(long registryId);

    /**
     * The requests project {@code projectId} served, summed over every node as they last wrote them;
     * {@link ProxyCacheSummary.Counts#NONE} when none are recorded. Reads only.
     */
    ProxyCacheSummary.Counts counts(long projectId);
}
