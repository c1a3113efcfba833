package io.wharf.core.gc;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import org.jspecify.annotations.Nullable;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;

/**
 * Garbage collection's use cases, for system administrators (Harbor's {@code /system/gc}): start a run,
 * read the history and each run's log, read and set the schedule. One run at a time across nodes: a
 * run is recorded together with the collector's lock row, and a second start while a run holds it is
 * refused with {@link ErrorCode#CONFLICT} (a scheduled fire then skips). Runs execute on the clustered
 * Quartz scheduler (a node that stops mid-run has its run recovered by another; the collector is
 * idempotent).
 */
@Service
public class GcService {

    static final String MANUAL = "Manual";
    static final String SCHEDULE = "Schedule";

    private static final Logger log = LoggerFactory.getLogger(GcService.class);

    private final GcRunStore runs;
    private final GarbageCollector collector;
    private final GcProperties properties;
    private final AccessPolicy policy;
    private final Clock clock;
    private final GcScheduler scheduler;
    private final GcMeters meters;

    GcService(GcRunStore runs, GarbageCollector collector, GcProperties properties, AccessPolicy policy, Clock clock,
              GcScheduler scheduler, GcMeters meters) {
        this.runs = runs;
        this.collector = collector;
        this.properties = properties;
        this.policy = policy;
        this.clock = clock;
        this.scheduler = scheduler;
        this.meters = meters;
    }

    /**
     * Starts a collection now; it runs in the background on one node.
     *
     * @throws PlatformException {@link ErrorCode#CONFLICT} when a collection is running
     */
    public GcRun start(Caller caller, GcParameters parameters) {
        policy.requireSysadmin(caller);
        GcRun run = begin(MANUAL, parameters).orElseThrow(() ->
            new PlatformException(ErrorCode.CONFLICT, "a garbage collection is running; try again when it has finished"));
        scheduler.dispatch(run.id());
        return run;
    }

    private Optional<GcRun> begin(String trigger, GcParameters parameters) {
        return runs.startPending(trigger, parameters, this::now, properties.runTimeout());
    }

    /** A scheduled fire: runs the schedule's collection in this thread, or skips when one is running. */
    void runScheduled() {
        GcSchedule schedule = runs.schedule();
        Optional<GcRun> run = begin(SCHEDULE, schedule.parameters());
        if (run.isEmpty()) {
            log.info("Scheduled garbage collection skipped: another one is running");
            return;
        }
        execute(run.get().id());
    }

    /** Runs the recorded collection {@code id} to its end, on this node (a Quartz job's body). */
    void execute(long id) {
        Optional<GcRun> found = runs.find(id);
        if (found.isEmpty() || !runs.markRunning(id, now())) {
            return; // ended already (a recovered job that had finished)
        }
        GcRun run = found.get();
        GcLog runLog = new GcLog(clock);
        Instant cutoff = clock.instant().minus(properties.gracePeriod());
        runLog.line("garbage collection " + id + (run.parameters().dryRun() ? " (dry run)" : "") + ": delete_untagged="
            + run.parameters().deleteUntagged() + ", workers=" + run.parameters().workers() + ", grace period "
            + properties.gracePeriod() + " (what was used after " + cutoff + " is kept)");
        try {
            GcCounts counts = collector.collect(run.parameters(), cutoff, runLog,
                progress -> runs.progress(id, progress, runLog.toString(), now()));
            runLog.line("finished: " + counts.manifests() + " manifests, " + counts.links() + " blob links, " + counts.blobs()
                + " blobs, " + counts.objects() + " stray objects, " + counts.freedBytes() + " bytes"
                + (run.parameters().dryRun() ? " would be freed" : " freed"));
            runs.finish(id, GcRunStore.SUCCESS, counts, runLog.toString(), now());
            meters.finished(run.parameters(), counts);
        } catch (RuntimeException e) {
            log.warn("Garbage collection {} failed", id, e);
            runLog.line("failed: " + causes(e));
            runs.finish(id, GcRunStore.ERROR, GcCounts.NONE, runLog.toString(), now());
            meters.failed();
        }
    }

    /** The exception and its causes, each on one line: what an administrator needs to see in the run's log. */
    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e));
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 8; depth++, cause = cause.getCause()) {
            text.append("\n  caused by: ").append(cause);
        }
        return text.toString();
    }

    /** The runs, newest first. */
    public Page<GcRun> history(Caller caller, Pageable pageable) {
        policy.requireSysadmin(caller);
        return runs.page(pageable);
    }

    /** Run {@code id}; {@link ErrorCode#NOT_FOUND} when there is none. */
    public GcRun get(Caller caller, long id) {
        policy.requireSysadmin(caller);
        return runs.find(id).orElseThrow(() -> notFound(id));
    }

    /** The log of run {@code id}; {@link ErrorCode#NOT_FOUND} when there is no such run. */
    public String log(Caller caller, long id) {
        policy.requireSysadmin(caller);
        return runs.log(id).orElseThrow(() -> notFound(id));
    }

    public GcSchedule schedule(Caller caller) {
        policy.requireSysadmin(caller);
        return runs.schedule();
    }

    /** Replaces the schedule; Quartz's trigger follows at once (on every node: it is in the shared tables). */
    public GcSchedule setSchedule(Caller caller, GcSchedule schedule) {
        policy.requireSysadmin(caller);
        runs.saveSchedule(schedule, now());
        scheduler.sync(schedule);
        return runs.schedule();
    }

    /** When {@code schedule} fires next after now, UTC; null for none. */
    public @Nullable OffsetDateTime nextRun(GcSchedule schedule) {
        String cron = schedule.quartzCron();
        if (cron == null) {
            return null;
        }
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(TimeZone.getTimeZone("UTC"));
            Date next = expression.getNextValidTimeAfter(Date.from(clock.instant()));
            return next == null ? null : OffsetDateTime.ofInstant(next.toInstant(), ZoneOffset.UTC);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }

    private static PlatformException notFound(long id) {
        return new PlatformException(ErrorCode.NOT_FOUND, "no garbage collection " + id);
    }
}
