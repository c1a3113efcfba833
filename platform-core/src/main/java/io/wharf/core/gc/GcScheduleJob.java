package io.wharf.core.gc;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** A fire of the garbage collection schedule: one run with the schedule's parameters, on one node. */
@DisallowConcurrentExecution
class GcScheduleJob implements Job {

    private final GcService service;

    GcScheduleJob(GcService service) {
        this.service = service;
    }

    @Override
    public void execute(JobExecutionContext context) {
        service.runScheduled();
    }
}
