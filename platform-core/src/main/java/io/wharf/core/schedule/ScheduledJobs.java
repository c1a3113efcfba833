package io.wharf.core.schedule;

import org.jspecify.annotations.Nullable;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

import java.util.Optional;
import java.util.TimeZone;

/**
 * One system job on a {@link HarborSchedule} (scan all, garbage collection), kept in Quartz's shared
 * tables: the cron trigger fires on one node, and the schedule's Harbor type and cron are kept in the
 * job's data, so every node reads back what was set.
 */
public final class ScheduledJobs {

    private static final String TYPE = "harbor.schedule.type";
    private static final String CRON = "harbor.schedule.cron";

    private ScheduledJobs() {
    }

    /**
     * The schedule of job {@code key}; empty when it has none.
     *
     * @throws IllegalStateException when the job store cannot be read
     */
    public static Optional<HarborSchedule> read(Scheduler scheduler, JobKey key) {
        try {
            JobDetail job = scheduler.getJobDetail(key);
            Trigger trigger = scheduler.getTrigger(TriggerKey.triggerKey(key.getName(), key.getGroup()));
            if (job == null || !(trigger instanceof CronTrigger)) {
                return Optional.empty();
            }
            return Optional.of(new HarborSchedule(job.getJobDataMap().getString(TYPE), job.getJobDataMap().getString(CRON),
                trigger.getNextFireTime() == null ? null : trigger.getNextFireTime().toInstant()));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot read the schedule of " + key, e);
        }
    }

    /**
     * Sets the schedule of job {@code key} (run by {@code type}); {@code None} (or any schedule
     * without a cron) removes it. A misfired run (every node down at its time) is skipped, not caught up.
     *
     * @throws IllegalStateException when the job store cannot be written
     */
    public static void write(Scheduler scheduler, JobKey key, Class<? extends Job> type, HarborSchedule schedule) {
        try {
            Optional<String> cron = schedule.quartzCron();
            if (cron.isEmpty()) {
                ClusteredTriggers.remove(scheduler, key);
                return;
            }
            TriggerKey triggerKey = TriggerKey.triggerKey(key.getName(), key.getGroup());
            @Nullable Trigger existing = scheduler.getTrigger(triggerKey);
            JobDetail job = JobBuilder.newJob(type).withIdentity(key).storeDurably()
                .usingJobData(TYPE, schedule.type()).usingJobData(CRON, schedule.cron()).build();
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity(triggerKey).forJob(key)
                .withSchedule(CronScheduleBuilder.cronSchedule(cron.get()).inTimeZone(TimeZone.getTimeZone("UTC"))
                    .withMisfireHandlingInstructionDoNothing())
                .build();
            ClusteredTriggers.install(scheduler, job, trigger, existing);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule " + key, e);
        }
    }
}
