package io.wharf.core.gc;

import io.wharf.core.schedule.ClusteredTriggers;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.TimeZone;

/**
 * Garbage collection on the clustered Quartz scheduler (group {@code gc}): a cron trigger
 * ({@link #SCHEDULE_JOB}) that follows the stored schedule, and a one-shot, recoverable job per started
 * run. Both live in Quartz's shared tables, so each fires on one node. Without a scheduler (a context
 * without the module that configures Quartz) a run executes on a thread of this node and no schedule
 * fires.
 */
@Component
class GcScheduler {

    static final String GROUP = "gc";
    static final JobKey SCHEDULE_JOB = JobKey.jobKey("gc-schedule", GROUP);
    private static final TriggerKey SCHEDULE_TRIGGER = TriggerKey.triggerKey("gc-schedule", GROUP);

    private static final Logger log = LoggerFactory.getLogger(GcScheduler.class);

    private final ObjectProvider<Scheduler> scheduler;
    private final GcRunStore runs;
    private final ObjectProvider<GcService> service;

    GcScheduler(ObjectProvider<Scheduler> scheduler, GcRunStore runs, ObjectProvider<GcService> service) {
        this.scheduler = scheduler;
        this.runs = runs;
        this.service = service;
    }

    /** Hands recorded run {@code id} to Quartz (or, without Quartz, to a thread of this node). */
    void dispatch(long id) {
        Scheduler quartz = scheduler.getIfAvailable();
        if (quartz == null) {
            Thread thread = new Thread(() -> service.getObject().execute(id), "gc-" + id);
            thread.start();
            return;
        }
        JobDetail job = JobBuilder.newJob(GcRunJob.class).withIdentity("run-" + id, GROUP)
            .usingJobData(GcRunJob.RUN_ID, id).requestRecovery(true).build();
        Trigger now = TriggerBuilder.newTrigger().withIdentity("run-" + id, GROUP).startNow().build();
        try {
            quartz.scheduleJob(job, now);
        } catch (ObjectAlreadyExistsException e) {
            log.debug("garbage collection {} already scheduled", id);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule garbage collection " + id, e);
        }
    }

    /** At start, makes the trigger match the stored schedule (changed while Quartz was down, or an upgrade). */
    @EventListener(ApplicationReadyEvent.class)
    void syncStored() {
        sync(runs.schedule());
    }

    /** Makes the cron trigger fire on {@code schedule}, or removes it for {@code None}. */
    void sync(GcSchedule schedule) {
        Scheduler quartz = scheduler.getIfAvailable();
        if (quartz == null) {
            return;
        }
        String cron = schedule.quartzCron();
        try {
            if (cron == null) {
                ClusteredTriggers.remove(quartz, SCHEDULE_JOB);
                return;
            }
            Trigger existing = quartz.getTrigger(SCHEDULE_TRIGGER);
            if (existing instanceof CronTrigger c && c.getCronExpression().equals(cron)) {
                return;
            }
            JobDetail job = JobBuilder.newJob(GcScheduleJob.class).withIdentity(SCHEDULE_JOB).storeDurably().build();
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity(SCHEDULE_TRIGGER).forJob(SCHEDULE_JOB)
                .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(TimeZone.getTimeZone("UTC"))
                    .withMisfireHandlingInstructionDoNothing())
                .build();
            ClusteredTriggers.install(quartz, job, trigger, existing);
            log.info("Garbage collection scheduled: {}", cron);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule garbage collection", e);
        }
    }
}
