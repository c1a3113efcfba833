package io.wharf.scanner.trigger;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How scans are queued and run ({@code wharf.scanner.*}, next to the adapter client's settings).
 *
 * @param registryUrl        the address adapters pull from when their registration has
 *                           {@code use_internal_addr}, or when {@code wharf.external-url} is unset;
 *                           without either, this node's own port on 127.0.0.1 (single-node trials).
 *                           {@code /v2} challenges to requests that arrived on it name its token realm
 *                           (the API's {@code RegistryChallenge})
 * @param maxConcurrentScans how many scans one registration runs at once, across all nodes
 * @param maxAttempts        how many times an adapter call that failed with 5xx or I/O is tried
 * @param retryBackoff       the wait before the second attempt; it doubles with each further one
 * @param timeout            how long a scan may take from its start before it ends as {@code Error}
 * @param lease              how long a worker holds a job while calling the adapter; a job whose lease
 *                           ran out (its node died) is due again
 * @param pollInterval       how often each node looks for due jobs
 * @param unscanned          what the pull policy does with an image that has no successful scan by
 *                           the project's scanner while {@code prevent_vul} is on: {@code block} (Harbor)
 *                           or {@code allow}
 */
@ConfigurationProperties("wharf.scanner")
@Validated
public record ScanProperties(@Nullable String registryUrl,
                             @DefaultValue("2") int maxConcurrentScans,
                             @DefaultValue("5") int maxAttempts,
                             @DefaultValue("30s") Duration retryBackoff,
                             @DefaultValue("30m") Duration timeout,
                             @DefaultValue("5m") Duration lease,
                             @DefaultValue("5s") Duration pollInterval,
                             @DefaultValue("block") Unscanned unscanned) {

    /** See {@link #unscanned}. */
    public enum Unscanned {
        ALLOW, BLOCK
    }
}
