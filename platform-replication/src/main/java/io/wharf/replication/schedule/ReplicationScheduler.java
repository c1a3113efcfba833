package io.wharf.replication.schedule;

import io.wharf.core.schedule.ClusteredTriggers;
import io.wharf.replication.execution.ExecutionRequested;
import io.wharf.replication.execution.ExecutionStore;
import io.wharf.core.schedule.CronSchedule;
import io.wharf.replication.policy.ReplicationPolicy;
import io.wharf.replication.policy.ReplicationPolicyChanged;
import io.wharf.replication.policy.ReplicationPolicyService;
import io.wharf.replication.policy.TriggerType;
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
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import java.util.Optional;
import java.util.TimeZone;

/**
 * Keeps Quartz in step with the database: a cron trigger per enabled scheduled policy (group
 * {@code replication-schedule}), and a one-shot, recoverable job per requested execution (group
 * {@code replication-run}). Both live in Quartz's shared tables, so it does not matter which node
 * schedules them; each fires on one node.
 */
@Component
class ReplicationScheduler {

    private static final Logger log = LoggerFactory.getLogger(ReplicationScheduler.class);
    private static final String SCHEDULES = "replication-schedule";
    private static final String RUNS = "replication-run";

    private final Scheduler scheduler;
    private final ReplicationPolicyService policies;
    private final ExecutionStore executions;
    ReplicationScheduler(Scheduler scheduler, ReplicationPolicyService policies, ExecutionStore executions) {
        this.scheduler = scheduler;
        this.policies = policies;
        this.executions = executions;
    }

    /** Hands a committed execution to Quartz. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ExecutionRequested requested) {
        schedule(requested);
    }

    private void schedule(ExecutionRequested requested) {
        JobDetail job = JobBuilder.newJob(ReplicationRunJob.class)
            .withIdentity("execution-" + requested.executionId(), RUNS)
            .usingJobData(ReplicationRunJob.EXECUTION_ID, requested.executionId())
            .requestRecovery(true)
            .build();
        Trigger now = TriggerBuilder.newTrigger().withIdentity("execution-" + requested.executionId(), RUNS).startNow().build();
        try {
            scheduler.scheduleJob(job, now);
        } catch (ObjectAlreadyExistsException e) {
            log.debug("execution {} already scheduled", requested.executionId());
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule execution " + requested.executionId(), e);
        }
    }

    /** Follows a policy change: (re)schedules, or removes, its cron trigger. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ReplicationPolicyChanged changed) {
        sync(changed.policyId(), Optional.ofNullable(changed.schedule()));
    }

    /**
     * At start, makes the triggers match the policies (a policy edited while Quartz was down, or an
     * upgrade), and hands Quartz again any unfinished execution it no longer holds a job for, so that
     * no execution stays "in progress" for ever. (An execution whose node died while Quartz held its
     * job is recovered by Quartz itself, on another node.)
     */
    @EventListener(ApplicationReadyEvent.class)
    void syncAll() {
        for (ReplicationPolicy policy : policies.enabled(TriggerType.SCHEDULED)) {
            sync(policy.id(), Optional.ofNullable(policy.spec().cron() == null ? null : CronSchedule.toQuartz(policy.spec().cron())));
        }
        for (long execution : executions.unfinishedExecutions()) {
            try {
                if (!scheduler.checkExists(JobKey.jobKey("execution-" + execution, RUNS))) {
                    log.info("Replication execution {} has no run scheduled: scheduling it to resume", execution);
                    on(new ExecutionRequested(execution));
                }
            } catch (SchedulerException e) {
                log.warn("Cannot check replication execution {}: {}", execution, e.toString());
            }
        }
    }

    private void sync(long policyId, Optional<String> cron) {
        try {
            doSync(policyId, cron);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule replication policy " + policyId, e);
        }
    }

    /** Makes policy {@code policyId}'s trigger run on {@code cron} (Quartz's dialect), or removes it when empty. */
    private void doSync(long policyId, Optional<String> cron) throws SchedulerException {
        TriggerKey key = TriggerKey.triggerKey("policy-" + policyId, SCHEDULES);
        JobKey jobKey = JobKey.jobKey("policy-" + policyId, SCHEDULES);
        if (cron.isEmpty()) {
            ClusteredTriggers.remove(scheduler, jobKey);
            return;
        }
        Trigger existing = scheduler.getTrigger(key);
        if (existing instanceof CronTrigger c && c.getCronExpression().equals(cron.get())) {
            return;
        }
        JobDetail job = JobBuilder.newJob(ReplicationScheduleJob.class).withIdentity(jobKey)
            .usingJobData(ReplicationScheduleJob.POLICY_ID, policyId).storeDurably().build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(key).forJob(jobKey)
            .withSchedule(CronScheduleBuilder.cronSchedule(cron.get()).inTimeZone(TimeZone.getTimeZone("UTC"))
                .withMisfireHandlingInstructionDoNothing())
            .build();
        ClusteredTriggers.install(scheduler, job, trigger, existing);
        log.info("Replication policy {} scheduled: {}", policyId, cron.get());
    }
}
