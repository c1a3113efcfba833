package io.wharf.retention.schedule;

import io.wharf.retention.execution.RetentionExecutionService;
import io.wharf.retention.execution.RetentionRunner;
import io.wharf.retention.policy.RetentionPolicyService;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** A cron fire of a scheduled policy: records a {@code SCHEDULE} run and runs it here, on the one node Quartz chose. */
@DisallowConcurrentExecution
class RetentionScheduleJob implements Job {

    static final String POLICY_ID = "policyId";

    private final RetentionPolicyService policies;
    private final RetentionExecutionService executions;
    private final RetentionRunner runner;

    RetentionScheduleJob(RetentionPolicyService policies, RetentionExecutionService executions, RetentionRunner runner) {
        this.policies = policies;
        this.executions = executions;
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) {
        long policyId = context.getMergedJobDataMap().getLong(POLICY_ID);
        if (policies.find(policyId).filter(p -> p.cron() != null).isPresent()) {
            runner.run(executions.startScheduled(policyId).id(), false);
        }
    }
}
