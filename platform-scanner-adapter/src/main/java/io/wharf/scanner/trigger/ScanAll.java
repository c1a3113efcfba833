package io.wharf.scanner.trigger;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.registry.manifest.MediaTypes;
import io.wharf.core.schedule.HarborSchedule;
import io.wharf.core.schedule.ScheduledJobs;
import io.wharf.scanner.registration.ScannerRegistration;
import io.wharf.scanner.registration.ScannerRegistrationService;
import org.jspecify.annotations.Nullable;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scan all (Harbor's {@code /system/scanAll}): queues every image of every project with an enabled
 * scanner, each distinct digest once per scanner, as a run whose progress {@link #metrics} reports.
 * Runs manually ({@link #create} with {@code Manual}, in the request: it only queues, the scans run on
 * the workers) or on a schedule kept in Quartz's shared tables ({@link #update}), which fires on one node. Queuing
 * dedups against live jobs, so overlapping runs never scan a digest twice at once. System
 * administrators only.
 */
@Service
public class ScanAll {

    /** The Quartz job of the schedule. */
    static final JobKey JOB = JobKey.jobKey("scan-all", "scan-all");

    private static final Logger log = LoggerFactory.getLogger(ScanAll.class);
    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final ScanQueue queue;
    private final ScannerRegistrationService registrations;
    private final AccessPolicy policy;
    private final Scheduler scheduler;
    private final ScanService scans;
    private final Clock clock;
    private final TransactionTemplate transaction;

    ScanAll(JdbcTemplate jdbc, ScanQueue queue, ScannerRegistrationService registrations, AccessPolicy policy,
            Scheduler scheduler, ScanService scans, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.queue = queue;
        this.registrations = registrations;
        this.policy = policy;
        this.scheduler = scheduler;
        this.scans = scans;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** A run's progress (Harbor's {@code Stats}). */
    public record Metrics(long total, long completed, Map<String, Long> byStatus, boolean ongoing, String trigger,
                          @Nullable String requester) {
    }

    /** The schedule; empty when there is none. */
    public Optional<HarborSchedule> schedule(Caller caller) {
        requireAccess(caller);
        return ScheduledJobs.read(scheduler, JOB);
    }

    /**
     * Harbor's create: {@code Manual} runs now, unless the newest manual run is still going (409);
     * a periodic type schedules, unless a schedule exists (412: update or remove it); {@code None}
     * does nothing.
     *
     * @throws PlatformException {@link ErrorCode#CONFLICT}, {@link ErrorCode#PRECONDITION} as above and
     *         when no default scanner is registered
     */
    public void create(Caller caller, HarborSchedule schedule) {
        requireAccess(caller);
        if (schedule.manual()) {
            Optional<Metrics> last = latest("Manual");
            if (last.isPresent() && last.get().ongoing()) {
                throw new PlatformException(ErrorCode.CONFLICT, "a previous scan all job already exists, it is still running");
            }
            run("Manual", caller.name());
        } else if (schedule.quartzCron().isPresent()) {
            if (ScheduledJobs.read(scheduler, JOB).isPresent()) {
                throw new PlatformException(ErrorCode.PRECONDITION, "scan all is scheduled already: update the schedule or set it to None first");
            }
            ScheduledJobs.write(scheduler, JOB, ScanAllJob.class, schedule);
        }
    }

    /**
     * Harbor's update: sets the periodic schedule, or removes it with {@code None}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for {@code Manual}
     */
    public void update(Caller caller, HarborSchedule schedule) {
        requireAccess(caller);
        if (schedule.manual()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "the schedule of scan all cannot be Manual: POST it to run now");
        }
        ScheduledJobs.write(scheduler, JOB, ScanAllJob.class, schedule);
    }

    private void requireAccess(Caller caller) {
        policy.requireSysadmin(caller);
        if (jdbc.queryForObject("SELECT count(*) FROM scanner_registration WHERE is_default = TRUE", Integer.class) == 0) {
            throw new PlatformException(ErrorCode.PRECONDITION, "no scanner is configured, it's not possible to scan");
        }
    }

    /** The scheduled run (the Quartz job). */
    long runScheduled() {
        return run("Schedule", null);
    }

    private long run(String trigger, @Nullable String requester) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(c -> {
            PreparedStatement insert = c.prepareStatement("INSERT INTO scan_all_run (trigger_kind, requester, started_at)"
                + " VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
            insert.setString(1, trigger);
            insert.setString(2, requester);
            insert.setObject(3, ScanQueue.utc(clock.instant()));
            return insert;
        }, key);
        long runId = ((Number) key.getKeys().get("id")).longValue();
        Set<String> queued = new HashSet<>();
        for (Map<String, Object> project : jdbc.queryForList("SELECT id, name FROM project ORDER BY id")) {
            long projectId = ((Number) project.get("id")).longValue();
            Optional<ScannerRegistration> scanner = registrations.scannerOf(projectId).filter(r -> !r.disabled());
            if (scanner.isEmpty()) {
                continue;
            }
            long registrationId = jdbc.queryForObject("SELECT id FROM scanner_registration WHERE uuid = ?", Long.class,
                scanner.get().uuid());
            String last = "";
            while (true) {
                // by digest, in batches: each image digest of the project once, from any of its repositories
                List<ScanQueue.Target> batch = jdbc.query("SELECT m.digest, MIN(r.name), MIN(m.media_type) FROM manifest m"
                        + " JOIN repository r ON r.id = m.repository_id WHERE r.project = ? AND m.media_type IN (?, ?)"
                        + " AND m.digest > ? GROUP BY m.digest ORDER BY m.digest LIMIT ?",
                    (rs, i) -> new ScanQueue.Target(rs.getString(2), rs.getString(1), rs.getString(3), null),
                    project.get("name"), MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST, last, BATCH);
                if (batch.isEmpty()) {
                    break;
                }
                transaction.executeWithoutResult(s -> {
                    for (ScanQueue.Target target : batch) {
                        if (queued.add(registrationId + "|" + target.digest())) {
                            queue.countInRun(queue.enqueue(registrationId, target, "scan-all", requester, clock.instant()), runId);
                        }
                    }
                });
                last = batch.get(batch.size() - 1).digest();
            }
        }
        log.info("Scan all ({}) queued {} images as run {}", trigger, queued.size(), runId);
        return runId;
    }

    /**
     * The progress of the newest run, or of the newest scheduled one when {@code scheduledOnly};
     * empty when there was none.
     */
    public Optional<Metrics> metrics(Caller caller, boolean scheduledOnly) {
        requireAccess(caller);
        return latest(scheduledOnly ? "Schedule" : null);
    }

    private Optional<Metrics> latest(@Nullable String trigger) {
        List<Map<String, Object>> runs = trigger == null
            ? jdbc.queryForList("SELECT id, trigger_kind, requester FROM scan_all_run ORDER BY id DESC LIMIT 1")
            : jdbc.queryForList("SELECT id, trigger_kind, requester FROM scan_all_run WHERE trigger_kind = ? ORDER BY id DESC LIMIT 1",
                trigger);
        if (runs.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> run = runs.get(0);
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (String status : List.of("Pending", "Running", "Success", "Error", "Stopped")) {
            byStatus.put(status, 0L);
        }
        jdbc.query("SELECT status, count(*) FROM scan_job WHERE scan_all_run_id = ? GROUP BY status",
            rs -> {
                byStatus.put(rs.getString(1), rs.getLong(2));
            }, run.get("id"));
        long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
        long live = byStatus.get("Pending") + byStatus.get("Running");
        return Optional.of(new Metrics(total, total - live, byStatus, live > 0, (String) run.get("trigger_kind"),
            (String) run.get("requester")));
    }

    /**
     * Stops the live scans of the newest run (each announced as {@code Stopped}, its credential revoked).
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} when there was no run (Harbor)
     */
    public void stop(Caller caller) {
        requireAccess(caller);
        List<Long> runs = jdbc.queryForList("SELECT id FROM scan_all_run ORDER BY id DESC LIMIT 1", Long.class);
        if (runs.isEmpty()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "no scan all job is found currently");
        }
        List<Long> live = jdbc.queryForList("SELECT id FROM scan_job WHERE scan_all_run_id = ? AND status IN ('Pending', 'Running')",
            Long.class, runs.get(0));
        for (long id : live) {
            queue.find(id).ifPresent(job -> scans.stop(caller, job));
        }
    }
}
