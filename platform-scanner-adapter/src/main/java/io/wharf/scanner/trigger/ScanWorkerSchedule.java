package io.wharf.scanner.trigger;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs {@link ScanWorker#runDueJobs()} every {@code wharf.scanner.poll-interval} on every node (the
 * queue's claims make that safe). {@code wharf.scanner.worker-enabled=false} leaves the queue to
 * explicit calls, for tests that drive it step by step.
 */
@Component
@ConditionalOnProperty(name = "wharf.scanner.worker-enabled", havingValue = "true", matchIfMissing = true)
class ScanWorkerSchedule {

    private final ScanWorker worker;

    ScanWorkerSchedule(ScanWorker worker) {
        this.worker = worker;
    }

    @Scheduled(fixedDelayString = "${wharf.scanner.poll-interval:5s}", initialDelayString = "${wharf.scanner.poll-interval:5s}")
    void run() {
        worker.runDueJobs();
    }
}
