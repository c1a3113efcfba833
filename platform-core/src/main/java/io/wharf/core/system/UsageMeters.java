package io.wharf.core.system;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gauges read from the database, so that every node reports the same values:
 * {@code wharf.uploads.in.progress} (open upload sessions) and, per project,
 * {@code wharf.project.storage.used} (bytes of the distinct blobs and manifests linked to the
 * project's repositories, each digest counted once per project, as quotas count it) and
 * {@code wharf.project.storage.quota} (the project's storage limit in bytes; -1 for none).
 *
 * <p>Nothing here runs on a request: the values are read by scrapes only, from a one-entry Caffeine
 * cache that is reloaded in the background once older than {@code wharf.metrics.usage-refresh}
 * (a scrape waits for the database only on the first read and after a long pause). The set of
 * project series follows the projects at each reload, so a new project's series appear from the
 * scrape after the reload that first saw it.
 */
@Component
class UsageMeters {

    private static final String KEY = "usage";
    private static final String STORAGE_BY_PROJECT = """
        SELECT p.name AS project, COALESCE(SUM(b.size), 0) AS used,
               COALESCE((SELECT q.hard_storage FROM quota q WHERE q.project_id = p.id), -1) AS hard
        FROM project p
        LEFT JOIN (
            SELECT DISTINCT q.id AS project_id, d.digest AS digest
            FROM project q
            JOIN repository r ON r.project = q.name
            JOIN (SELECT repository_id, digest FROM repository_blob
                  UNION SELECT repository_id, digest FROM manifest) d ON d.repository_id = r.id
        ) u ON u.project_id = p.id
        LEFT JOIN blob b ON b.digest = u.digest
        GROUP BY p.id, p.name
        """;

    /** What the database said at one reload. */
    record Usage(long uploads, Map<String, Long> storageByProject, Map<String, Long> quotaByProject) {

        long storage(String project) {
            return storageByProject.getOrDefault(project, 0L);
        }

        long quota(String project) {
            return quotaByProject.getOrDefault(project, -1L);
        }
    }

    private final JdbcClient jdbc;
    private final LoadingCache<String, Usage> cache;
    private final MultiGauge storageUsed;
    private final MultiGauge storageQuota;
    /** The projects whose series exist; rows are registered again only when this set changes. */
    private volatile Set<String> projects = Set.of();

    UsageMeters(JdbcClient jdbc, MetricsProperties properties, ObjectProvider<MeterRegistry> meters) {
        this.jdbc = jdbc;
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        this.cache = Caffeine.newBuilder()
            .refreshAfterWrite(properties.usageRefresh())
            .expireAfterWrite(properties.usageRefresh().multipliedBy(4))
            .build(key -> load());
        Gauge.builder("wharf.uploads.in.progress", this, m -> m.current().uploads())
            .description("Blob upload sessions open in the database (all nodes)").register(registry);
        this.storageUsed = MultiGauge.builder("wharf.project.storage.used").baseUnit("bytes")
            .description("Bytes of the distinct blobs and manifests in the project's repositories").register(registry);
        this.storageQuota = MultiGauge.builder("wharf.project.storage.quota").baseUnit("bytes")
            .description("The project's storage limit; -1 when it has none").register(registry);
    }

    /** The values of the last reload (loading them now if there are none or they are too old). */
    Usage current() {
        return cache.get(KEY);
    }

    private Usage load() {
        long uploads = jdbc.sql("SELECT COUNT(*) FROM upload_session").query(Long.class).single();
        Map<String, Long> storage = new TreeMap<>();
        Map<String, Long> quota = new TreeMap<>();
        jdbc.sql(STORAGE_BY_PROJECT).query((rs, n) -> {
            quota.put(rs.getString("project"), rs.getLong("hard"));
            return storage.put(rs.getString("project"), rs.getLong("used"));
        }).list();
        if (!projects.equals(storage.keySet())) {
            projects = Set.copyOf(storage.keySet());
            storageUsed.register(projects.stream()
                .<MultiGauge.Row<?>>map(p -> MultiGauge.Row.of(Tags.of("project", p), this, m -> m.current().storage(p)))
                .toList(), true);
            storageQuota.register(projects.stream()
                .<MultiGauge.Row<?>>map(p -> MultiGauge.Row.of(Tags.of("project", p), this, m -> m.current().quota(p)))
                .toList(), true);
        }
        return new Usage(uploads, Map.copyOf(storage), Map.copyOf(quota));
    }
}
