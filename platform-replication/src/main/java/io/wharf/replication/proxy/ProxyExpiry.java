package io.wharf.replication.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.core.registry.CacheExpiryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Expiry of proxy-cache projects with the configured age: deletes the cached manifests nobody pulled
 * for {@code wharf.proxy.expire-after}, unless an index or a referrer keeps them
 * ({@link CacheExpiryService}, which says what exactly goes and what stays; blobs stay for garbage
 * collection). Run every {@code wharf.proxy.expiry-interval} on one node by the {@code schedule}
 * package's Quartz job. Each run logs what it removed per project and counts it in
 * {@code wharf.proxy.expired} (tag {@code project}).
 */
@Component
public class ProxyExpiry {

    private static final Logger log = LoggerFactory.getLogger(ProxyExpiry.class);

    private final CacheExpiryService expiry;
    private final ProxyProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;

    ProxyExpiry(CacheExpiryService expiry, ProxyProperties properties, Clock clock, ObjectProvider<MeterRegistry> meters) {
        this.expiry = expiry;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
    }

    /** How often the expiry is to run. */
    public Duration interval() {
        return properties.expiryInterval();
    }

    /**
     * Runs the expiry once: the cutoff is now minus {@code wharf.proxy.expire-after}.
     *
     * @return how many manifests were deleted, by project name
     */
    public Map<String, Integer> run() {
        Instant cutoff = clock.instant().minus(properties.expireAfter());
        List<CacheExpiryService.Expired> expired = expiry.expire(cutoff);
        Map<String, Integer> byProject = new TreeMap<>();
        for (CacheExpiryService.Expired e : expired) {
            byProject.merge(e.repository().project(), 1, Integer::sum);
            log.debug("Expired {}@{}", e.repository(), e.digest());
        }
        byProject.forEach((project, count) -> {
            Counter.builder("wharf.proxy.expired").description("cached manifests of a proxy-cache project deleted by expiry")
                .tag("project", project).register(meters).increment(count);
            log.info("Proxy cache {}: expired {} manifest(s) not pulled since {}", project, count, cutoff);
        });
        return byProject;
    }
}
