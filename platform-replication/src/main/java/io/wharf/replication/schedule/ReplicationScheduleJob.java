package io.wharf.replication.schedule;

import io.wharf.replication.execution.ExecutionStore;
import io.wharf.replication.policy.ReplicationPolicyService;
import io.wharf.replication.policy.TriggerType;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** A cron fire of a scheduled policy: records an execution, which is then run like a manual one. */
@DisallowConcurrentExecution
class ReplicationScheduleJob implements Job {

    static final String POLICY_ID = "policyId";

    private final ReplicationPolicyService policies;
    private final ExecutionStore executions;

    ReplicationScheduleJob(ReplicationPolicyService policies, ExecutionStore executions) {
        this.policies = policies;
        this.executions = executions;
    }

    @Override
    public void execute(JobExecutionContext context) {
        long policyId = context.getMergedJobDataMap().getLong(POLICY_ID);
        policies.find(policyId).filter(p -> p.spec().enabled() && p.spec().trigger() == TriggerType.SCHEDULED)
            .ifPresent(p -> executions.create(policyId, TriggerType.SCHEDULED));
    }
}
