package io.wharf.core.gc;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The collector's rows: runs ({@code gc_run}), the lock that lets one run at a time across nodes
 * ({@code gc_lock} 'gc'), the schedule ({@code gc_schedule}) and store objects seen without a row
 * ({@code gc_orphan}).
 */
@Component
class GcRunStore {

    static final String SUCCESS = "Success";
    static final String ERROR = "Error";

    private static final String COLUMNS = "id, trigger_type, status, dry_run, delete_untagged, workers, manifests_deleted, "
        + "links_deleted, blobs_deleted, objects_deleted, freed_bytes, created_at, updated_at";

    private static final RowMapper<GcRun> RUN = (rs, i) -> new GcRun(rs.getLong("id"), rs.getString("trigger_type"),
        rs.getString("status"), new GcParameters(rs.getBoolean("delete_untagged"), rs.getBoolean("dry_run"), rs.getInt("workers")),
        rs.getLong("manifests_deleted"), rs.getLong("links_deleted"), rs.getLong("blobs_deleted"), rs.getLong("objects_deleted"),
        rs.getLong("freed_bytes"), rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));

    private final JdbcClient jdbc;

    GcRunStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a pending run and gives it the collector's lock, unless another run holds it: one that has
     * not ended and reported progress within {@code runTimeout}. The lock row is locked first, so starts
     * are serialized, and the run's time is read after that: a run never starts before the one it
     * waited for has ended.
     *
     * @return the run, or empty when another run holds the lock (nothing is recorded)
     */
    @Transactional
    public Optional<GcRun> startPending(String trigger, GcParameters parameters, Supplier<OffsetDateTime> clock,
                                        Duration runTimeout) {
        jdbc.sql("SELECT name FROM gc_lock WHERE name = 'gc' FOR UPDATE").query(String.class).list();
        OffsetDateTime now = clock.get();
        boolean held = jdbc.sql("SELECT COUNT(*) FROM gc_lock l JOIN gc_run r ON r.id = l.run_id WHERE l.name = 'gc' "
                + "AND r.status IN ('Pending', 'Running') AND r.updated_at >= :stale")
            .param("stale", now.minus(runTimeout)).query(Long.class).single() > 0;
        if (held) {
            return Optional.empty();
        }
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO gc_run (trigger_type, status, dry_run, delete_untagged, workers, log, created_at, updated_at) "
                + "VALUES (:trigger, 'Pending', :dryRun, :deleteUntagged, :workers, '', :now, :now)")
            .param("trigger", trigger).param("dryRun", parameters.dryRun()).param("deleteUntagged", parameters.deleteUntagged())
            .param("workers", parameters.workers()).param("now", now)
            .update(key, "id");
        long id = key.getKeyAs(Number.class).longValue();
        jdbc.sql("UPDATE gc_lock SET run_id = :id, acquired_at = :now WHERE name = 'gc'").param("id", id).param("now", now).update();
        return find(id);
    }

    /** Marks the run as running (and alive) now; false when it has ended already. */
    @Transactional
    public boolean markRunning(long id, OffsetDateTime now) {
        return jdbc.sql("UPDATE gc_run SET status = 'Running', updated_at = :now WHERE id = :id AND status IN ('Pending', 'Running')")
            .param("id", id).param("now", now).update() > 0;
    }

    /**
     * Records progress: the counts so far and the log; the run's {@code updated_at} shows it is alive.
     * In a transaction of its own, so that a dry run's (rolled back) does not swallow it.
     */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.REQUIRES_NEW)
    public void progress(long id, GcCounts counts, String log, OffsetDateTime now) {
        update(id, null, counts, log, now);
    }

    /** Ends the run with {@code status} and releases the collector's lock. */
    @Transactional
    public void finish(long id, String status, GcCounts counts, String log, OffsetDateTime now) {
        update(id, status, counts, log, now);
        jdbc.sql("UPDATE gc_lock SET run_id = NULL, acquired_at = NULL WHERE name = 'gc' AND run_id = :id").param("id", id).update();
    }

    private void update(long id, @Nullable String status, GcCounts c, String log, OffsetDateTime now) {
        jdbc.sql("UPDATE gc_run SET status = COALESCE(:status, status), manifests_deleted = :m, links_deleted = :l, "
                + "blobs_deleted = :b, objects_deleted = :o, freed_bytes = :f, log = :log, updated_at = :now WHERE id = :id")
            .param("status", status, java.sql.Types.VARCHAR).param("m", c.manifests()).param("l", c.links()).param("b", c.blobs())
            .param("o", c.objects()).param("f", c.freedBytes()).param("log", log).param("now", now).param("id", id)
            .update();
    }

    @Transactional(readOnly = true)
    public Optional<GcRun> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM gc_run WHERE id = :id").param("id", id).query(RUN).optional();
    }

    @Transactional(readOnly = true)
    public Optional<String> log(long id) {
        return jdbc.sql("SELECT log FROM gc_run WHERE id = :id").param("id", id).query(String.class).optional();
    }

    /** The runs, newest first. */
    @Transactional(readOnly = true)
    public Page<GcRun> page(Pageable pageable) {
        long total = jdbc.sql("SELECT COUNT(*) FROM gc_run").query(Long.class).single();
        List<GcRun> rows = jdbc.sql("SELECT " + COLUMNS + " FROM gc_run ORDER BY id DESC LIMIT :limit OFFSET :offset")
            .param("limit", pageable.getPageSize()).param("offset", pageable.getOffset()).query(RUN).list();
        return new PageImpl<>(rows, pageable, total);
    }

    // ---- schedule ----------------------------------------------------------------------------

    @Transactional(readOnly = true)
    public GcSchedule schedule() {
        return jdbc.sql("SELECT type, cron, dry_run, delete_untagged, workers, created_at, updated_at FROM gc_schedule WHERE id = 1")
            .query((rs, i) -> new GcSchedule(rs.getString("type"), rs.getString("cron"),
                new GcParameters(rs.getBoolean("delete_untagged"), rs.getBoolean("dry_run"), rs.getInt("workers")),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class)))
            .optional().orElse(GcSchedule.NONE);
    }

    @Transactional
    public void saveSchedule(GcSchedule schedule, OffsetDateTime now) {
        int updated = jdbc.sql("UPDATE gc_schedule SET type = :type, cron = :cron, dry_run = :dryRun, delete_untagged = :du, "
                + "workers = :workers, updated_at = :now WHERE id = 1")
            .param("type", schedule.type()).param("cron", schedule.cron(), java.sql.Types.VARCHAR)
            .param("dryRun", schedule.parameters().dryRun()).param("du", schedule.parameters().deleteUntagged())
            .param("workers", schedule.parameters().workers()).param("now", now).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO gc_schedule (id, type, cron, dry_run, delete_untagged, workers, created_at, updated_at) "
                    + "VALUES (1, :type, :cron, :dryRun, :du, :workers, :now, :now) ON CONFLICT DO NOTHING")
                .param("type", schedule.type()).param("cron", schedule.cron(), java.sql.Types.VARCHAR)
                .param("dryRun", schedule.parameters().dryRun()).param("du", schedule.parameters().deleteUntagged())
                .param("workers", schedule.parameters().workers()).param("now", now).update();
        }
    }

    // ---- store objects without a row ---------------------------------------------------------

    /** When each of {@code paths} was first seen without a row, for those seen before. */
    @Transactional(readOnly = true)
    public Map<String, OffsetDateTime> orphansSeen(Collection<String> paths) {
        if (paths.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("SELECT path, seen_at FROM gc_orphan WHERE path IN (:paths)").param("paths", paths)
            .query((rs, i) -> Map.entry(rs.getString("path"), rs.getObject("seen_at", OffsetDateTime.class))).list()
            .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Records that {@code path} was seen without a row now, unless it was seen before. */
    @Transactional
    public void orphanSeen(String path, long size, OffsetDateTime now) {
        jdbc.sql("INSERT INTO gc_orphan (path, size, seen_at) VALUES (:path, :size, :now) ON CONFLICT DO NOTHING")
            .param("path", path).param("size", size).param("now", now).update();
    }

    /** Forgets every recorded object but {@code stillOrphans} (deleted, or since given a row). */
    @Transactional
    public void forgetOrphansBut(Collection<String> stillOrphans) {
        List<String> recorded = jdbc.sql("SELECT path FROM gc_orphan").query(String.class).list();
        List<String> gone = recorded.stream().filter(p -> !stillOrphans.contains(p)).toList();
        for (int i = 0; i < gone.size(); i += 500) {
            jdbc.sql("DELETE FROM gc_orphan WHERE path IN (:paths)").param("paths", gone.subList(i, Math.min(gone.size(), i + 500)))
                .update();
        }
    }
}
