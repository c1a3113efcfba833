package io.wharf.replication.schedule;

import io.wharf.core.schedule.ClusteredTriggers;
import io.wharf.replication.proxy.ProxyExpiry;
import org.quartz.DateBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps one repeating trigger (group {@code proxy-expiry}) that runs {@link ProxyExpiry} every
 * {@code wharf.proxy.expiry-interval}. It lives in Quartz's shared tables, so however many nodes
 * start, there is one trigger and each fire runs on one node. A node that starts with the trigger
 * already at that interval leaves it as it is (restarts do not postpone the next run); another
 * interval reschedules it. The first run is one interval after it is first scheduled (Quartz fires on the
 * system's time, as for replication schedules).
 */
@Component
class ProxyExpiryScheduler {

    static final TriggerKey TRIGGER = TriggerKey.triggerKey("proxy-expiry", "proxy-expiry");
    static final JobKey JOB = JobKey.jobKey("proxy-expiry", "proxy-expiry");

    private static final Logger log = LoggerFactory.getLogger(ProxyExpiryScheduler.class);

    private final Scheduler scheduler;
    private final ProxyExpiry expiry;

    ProxyExpiryScheduler(Scheduler scheduler, ProxyExpiry expiry) {
        this.scheduler = scheduler;
        this.expiry = expiry;
    }

    @EventListener(ApplicationReadyEvent.class)
    void schedule() {
        long interval = expiry.interval().toMillis();
        try {
            Trigger existing = scheduler.getTrigger(TRIGGER);
            if (existing instanceof SimpleTrigger simple && simple.getRepeatInterval() == interval) {
                return;
            }
            JobDetail job = JobBuilder.newJob(ProxyExpiryJob.class).withIdentity(JOB).storeDurably().build();
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity(TRIGGER).forJob(JOB)
                .startAt(DateBuilder.futureDate((int) Math.max(1, interval / 1000), DateBuilder.IntervalUnit.SECOND))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(interval).repeatForever()
                    .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
            ClusteredTriggers.install(scheduler, job, trigger, existing);
            log.info("Proxy-cache expiry scheduled every {}", expiry.interval());
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule the proxy-cache expiry", e);
        }
    }
}
