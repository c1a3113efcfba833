package io.wharf.replication.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.core.iam.ProxyCacheStatus;
import io.wharf.core.iam.ProxyCacheSummary;
import io.wharf.core.registry.RepositoryName;
import io.wharf.replication.endpoint.RegistryEndpointService;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What each proxy-cache project served (docs/proxy.md, "Metrics and console"), by project name:
 * Micrometer counters of this node ({@code wharf.proxy.requests{project,outcome}},
 * {@code wharf.proxy.fetched.bytes{project}}) and totals shared by every node in
 * {@code proxy_statistics}. Counting only adds to this node's pending counts; a background flush every
 * {@code wharf.proxy.statistics-flush-interval} (default one second) and at shutdown adds them to the
 * table with increments in SQL ({@code hits = hits + n}), one transaction per flush, projects in name
 * order, as pull counts are written ({@code PullRecorder}): nodes never overwrite each other, and a
 * read makes no write. Counts of a failed flush are kept for the next one; counts of a project that
 * no longer exists are dropped.
 */
@Component
public class ProxyStatistics implements ProxyCacheStatus {

    private static final Logger log = LoggerFactory.getLogger(ProxyStatistics.class);

    /** How a client's request in a proxy-cache project was answered; see {@link ProxyCacheSummary.Counts}. */
    enum Outcome {
        HIT("hits"), MISS("misses"), STALE("stale"), COALESCED("coalesced");

        private final String column;

        Outcome(String column) {
            this.column = column;
        }
    }

    /** A column of one project's row; {@code column} is one of the table's count columns. */
    private record Key(String project, String column) {
    }

    private static final String FETCHED_BYTES = "fetched_bytes";

    private final JdbcClient jdbc;
    private final TransactionTemplate newTransaction;
    private final RegistryEndpointService endpoints;
    private final MeterRegistry meters;
    private final Clock clock;
    /** Counts not yet written, merged per project and column. */
    private final ConcurrentMap<Key, Long> pending = new ConcurrentHashMap<>();

    ProxyStatistics(JdbcClient jdbc, PlatformTransactionManager transactions, RegistryEndpointService endpoints,
                    ObjectProvider<MeterRegistry> meters, Clock clock) {
        this.jdbc = jdbc;
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.endpoints = endpoints;
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
        this.clock = clock;
    }

    /** Counts one request of {@code repository}'s project answered with {@code outcome}. */
    void count(RepositoryName repository, Outcome outcome) {
        String project = repository.project();
        Counter.builder("wharf.proxy.requests").description("Client requests of a proxy-cache project, by how they were answered")
            .tag("project", project).tag("outcome", outcome.column).register(meters).increment();
        pending.merge(new Key(project, outcome.column), 1L, Long::sum);
    }

    /** Counts {@code bytes} fetched from the upstream into {@code repository}'s project. */
    void fetched(RepositoryName repository, long bytes) {
        if (bytes <= 0) {
            return;
        }
        String project = repository.project();
        Counter.builder("wharf.proxy.fetched.bytes").description("Bytes of manifests and blobs fetched from the upstream")
            .baseUnit("bytes").tag("project", project).register(meters).increment(bytes);
        pending.merge(new Key(project, FETCHED_BYTES), bytes, Long::sum);
    }

    /**
     * Adds every pending count to {@code proxy_statistics} now; returns how many projects were written.
     * Runs on a schedule and at shutdown; one flush at a time, so when it returns, every count made
     * before the call is in the table (or kept after a failure).
     */
    @Scheduled(fixedDelayString = "${wharf.proxy.statistics-flush-interval:1s}")
    @PreDestroy
    public synchronized int flush() {
        Map<String, Map<String, Long>> byProject = new TreeMap<>();
        for (Key key : pending.keySet()) {
            Long count = pending.remove(key);
            if (count != null) {
                byProject.computeIfAbsent(key.project(), p -> new TreeMap<>()).merge(key.column(), count, Long::sum);
            }
        }
        if (byProject.isEmpty()) {
            return 0;
        }
        try {
            newTransaction.executeWithoutResult(status -> byProject.forEach(this::write));
            return byProject.size();
        } catch (RuntimeException e) {
            log.warn("Could not write proxy-cache statistics of {} project(s), kept for the next flush: {}", byProject.size(), e.toString());
            byProject.forEach((project, counts) -> counts.forEach((column, count) -> pending.merge(new Key(project, column), count, Long::sum)));
            return 0;
        }
    }

    private void write(String project, Map<String, Long> counts) {
        Optional<Long> projectId = jdbc.sql("SELECT id FROM project WHERE name = ?").param(project).query(Long.class).optional();
        if (projectId.isEmpty()) {
            return; // deleted since
        }
        long hits = counts.getOrDefault(Outcome.HIT.column, 0L);
        long misses = counts.getOrDefault(Outcome.MISS.column, 0L);
        long stale = counts.getOrDefault(Outcome.STALE.column, 0L);
        long coalesced = counts.getOrDefault(Outcome.COALESCED.column, 0L);
        long bytes = counts.getOrDefault(FETCHED_BYTES, 0L);
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (add(projectId.get(), hits, misses, stale, coalesced, bytes, now) == 0) {
            int inserted = jdbc.sql("INSERT INTO proxy_statistics (project_id, hits, misses, stale, coalesced, fetched_bytes, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(projectId.get(), hits, misses, stale, coalesced, bytes, now).update();
            if (inserted == 0) {
                add(projectId.get(), hits, misses, stale, coalesced, bytes, now); // another node inserted it meanwhile
            }
        }
    }

    private int add(long projectId, long hits, long misses, long stale, long coalesced, long bytes, OffsetDateTime now) {
        return jdbc.sql("UPDATE proxy_statistics SET hits = hits + ?, misses = misses + ?, stale = stale + ?, "
                + "coalesced = coalesced + ?, fetched_bytes = fetched_bytes + ?, updated_at = ? WHERE project_id = ?")
            .params(hits, misses, stale, coalesced, bytes, now, projectId).update();
    }

    @Override
    public Optional<ProxyCacheSummary.Upstream> upstream(long registryId) {
        return endpoints.find(registryId).map(e -> new ProxyCacheSummary.Upstream(e.id(), e.name(), e.type().id(),
            e.url().toString(), e.insecure(), e.description()));
    }

    @Override
    public ProxyCacheSummary.Counts counts(long projectId) {
        return jdbc.sql("SELECT hits, misses, stale, coalesced, fetched_bytes FROM proxy_statistics WHERE project_id = ?")
            .param(projectId)
            .query((rs, n) -> new ProxyCacheSummary.Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
            .optional().orElse(ProxyCacheSummary.Counts.NONE);
    }
}
