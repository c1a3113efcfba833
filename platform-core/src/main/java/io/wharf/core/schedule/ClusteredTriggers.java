package io.wharf.core.schedule;

import org.jspecify.annotations.Nullable;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;

/** Installing a trigger in the Quartz tables that every node shares. */
public final class ClusteredTriggers {

    private ClusteredTriggers() {
    }

    /**
     * Stores {@code job} and schedules {@code trigger} for it, replacing {@code existing} (the trigger of
     * that key read before, or null); when another node scheduled the same key at the same moment, its
     * trigger is replaced by this one.
     *
     * @throws SchedulerException when the job store cannot be written
     */
    public static void install(Scheduler scheduler, JobDetail job, Trigger trigger, @Nullable Trigger existing) throws SchedulerException {
        scheduler.addJob(job, true);
        if (existing == null) {
            try {
                scheduler.scheduleJob(trigger);
            } catch (ObjectAlreadyExistsException raced) {
                scheduler.rescheduleJob(trigger.getKey(), trigger); // another node scheduled it at the same moment
            }
        } else {
            scheduler.rescheduleJob(trigger.getKey(), trigger);
        }
    }

    /**
     * Deletes job {@code key} with its triggers. Another node may remove one of those triggers at the
     * same moment (a manual fire it finished), which makes Quartz refuse the delete; it is then tried
     * again, and a job already gone is no error.
     *
     * @throws SchedulerException when the job store cannot be written
     */
    public static void remove(Scheduler scheduler, JobKey key) throws SchedulerException {
        for (int attempt = 1; ; attempt++) {
            try {
                scheduler.deleteJob(key);
                return;
            } catch (SchedulerException raced) {
                if (!scheduler.checkExists(key)) {
                    return;
                }
                if (attempt >= 5) {
                    throw raced;
                }
            }
        }
    }
}
