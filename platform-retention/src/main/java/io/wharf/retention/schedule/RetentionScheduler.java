package io.wharf.retention.schedule;

import io.wharf.core.schedule.ClusteredTriggers;
import io.wharf.core.schedule.CronSchedule;
import io.wharf.retention.execution.RetentionExecutionService;
import io.wharf.retention.execution.RetentionExecution;
import io.wharf.retention.execution.RetentionRunRequested;
import io.wharf.retention.policy.RetentionPolicy;
import io.wharf.retention.policy.RetentionPolicyChanged;
import io.wharf.retention.policy.RetentionPolicyService;
import org.jspecify.annotations.Nullable;
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

import java.util.Set;
import java.util.TimeZone;

/**
 * Keeps Quartz in step with the database: a cron trigger (UTC) per scheduled policy, key
 * {@code policy-<id>} in group {@code retention-schedule}, and a one-shot recoverable job per manual run,
 * {@code execution-<id>} in group {@code retention-run}. They live in Quartz's shared tables, so it does
 * not matter which node writes them, and each fire runs on one node.
 */
@Component
public class RetentionScheduler {

    /** The Quartz group of the policies' cron triggers and jobs. */
    public static final String SCHEDULES = "retention-schedule";
    private static final String RUNS = "retention-run";
    private static final Logger log = LoggerFactory.getLogger(RetentionScheduler.class);

    private final Scheduler scheduler;
    private final RetentionPolicyService policies;
    private final RetentionExecutionService executions;

    RetentionScheduler(Scheduler scheduler, RetentionPolicyService policies, RetentionExecutionService executions) {
        this.scheduler = scheduler;
        this.policies = policies;
        this.executions = executions;
    }

    /** The key of policy {@code policyId}'s cron job. */
    public static JobKey scheduleKey(long policyId) {
        return JobKey.jobKey("policy-" + policyId, SCHEDULES);
    }

    /** Follows a committed policy change: (re)schedules or removes its cron trigger. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(RetentionPolicyChanged changed) {
        sync(changed.policyId(), changed.cron());
    }

    /** Hands a committed manual run to Quartz. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(RetentionRunRequested requested) {
        submit(requested.executionId());
    }

    /** At start: triggers as the policies say, and a job for every run left pending without one. */
    @EventListener(ApplicationReadyEvent.class)
    void syncAll() {
        for (RetentionPolicy policy : policies.scheduled()) {
            sync(policy.id(), policy.cron());
        }
        for (RetentionExecution execution : executions.unfinished()) {
            if (RetentionExecution.PENDING.equals(execution.status())) {
                submit(execution.id());
            }
        }
    }

    private void submit(long executionId) {
        String name = "execution-" + executionId;
        JobDetail job = JobBuilder.newJob(RetentionRunJob.class).withIdentity(name, RUNS)
            .usingJobData(RetentionRunJob.EXECUTION_ID, executionId).requestRecovery(true).build();
        Trigger now = TriggerBuilder.newTrigger().withIdentity(name, RUNS).startNow().build();
        try {
            scheduler.scheduleJob(job, now);
        } catch (ObjectAlreadyExistsException e) {
            log.debug("retention execution {} already submitted", executionId);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot submit retention execution " + executionId, e);
        }
    }

    private void sync(long policyId, @Nullable String cron) {
        JobKey jobKey = scheduleKey(policyId);
        TriggerKey key = TriggerKey.triggerKey(jobKey.getName(), SCHEDULES);
        try {
            if (cron == null) {
                ClusteredTriggers.remove(scheduler, jobKey);
                return;
            }
            String quartz = CronSchedule.toQuartz(cron);
            if (scheduler.getTrigger(key) instanceof CronTrigger current && current.getCronExpression().equals(quartz)) {
                return;
            }
            JobDetail job = JobBuilder.newJob(RetentionScheduleJob.class).withIdentity(jobKey)
                .usingJobData(RetentionScheduleJob.POLICY_ID, policyId).storeDurably().build();
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity(key).forJob(jobKey)
                .withSchedule(CronScheduleBuilder.cronSchedule(quartz).inTimeZone(TimeZone.getTimeZone("UTC"))
                    .withMisfireHandlingInstructionDoNothing())
                .build();
            // replaces job and trigger at once, also when another node installed them a moment ago
            scheduler.scheduleJob(job, Set.of(trigger), true);
            log.info("Retention policy {} scheduled: {}", policyId, quartz);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule retention policy " + policyId, e);
        }
    }
}
