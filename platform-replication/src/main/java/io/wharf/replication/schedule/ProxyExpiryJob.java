package io.wharf.replication.schedule;

import io.wharf.replication.proxy.ProxyExpiry;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** One run of the proxy-cache expiry, on whichever node Quartz gives the fire to. */
@DisallowConcurrentExecution
class ProxyExpiryJob implements Job {

    private final ProxyExpiry expiry;

    ProxyExpiryJob(ProxyExpiry expiry) {
        this.expiry = expiry;
    }

    @Override
    public void execute(JobExecutionContext context) {
        expiry.run();
    }
}
