package io.wharf.retention.schedule;

import io.wharf.retention.execution.RetentionRunner;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** One manual run, on whichever node Quartz gives it to (again on another node if that one dies). */
class RetentionRunJob implements Job {

    static final String EXECUTION_ID = "executionId";

    private final RetentionRunner runner;

    RetentionRunJob(RetentionRunner runner) {
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) {
        runner.run(context.getMergedJobDataMap().getLong(EXECUTION_ID), context.isRecovering());
    }
}
