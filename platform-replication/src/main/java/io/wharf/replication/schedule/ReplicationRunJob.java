package io.wharf.replication.schedule;

import io.wharf.replication.engine.ExecutionRunner;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Runs (or resumes) one execution, on whichever node Quartz gives it to. */
@DisallowConcurrentExecution
class ReplicationRunJob implements Job {

    static final String EXECUTION_ID = "executionId";

    private final ExecutionRunner runner;

    ReplicationRunJob(ExecutionRunner runner) {
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) {
        runner.run(context.getMergedJobDataMap().getLong(EXECUTION_ID), context.isRecovering());
    }
}
