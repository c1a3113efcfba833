package io.wharf.scanner.trigger;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** The scheduled scan all: Quartz fires it on one node. */
@DisallowConcurrentExecution
class ScanAllJob implements Job {

    private final ScanAll scanAll;

    ScanAllJob(ScanAll scanAll) {
        this.scanAll = scanAll;
    }

    @Override
    public void execute(JobExecutionContext context) {
        scanAll.runScheduled();
    }
}
