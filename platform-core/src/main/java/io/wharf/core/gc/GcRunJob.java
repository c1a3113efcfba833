package io.wharf.core.gc;

import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** One started garbage collection, on whichever node Quartz gives it to (again on another if that node stops). */
class GcRunJob implements Job {

    static final String RUN_ID = "runId";

    private final GcService service;

    GcRunJob(GcService service) {
        this.service = service;
    }

    @Override
    public void execute(JobExecutionContext context) {
        service.execute(context.getMergedJobDataMap().getLong(RUN_ID));
    }
}
