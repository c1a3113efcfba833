package io.wharf.core.audit;

import io.wharf.core.event.DomainEvent;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The audit log: who did what, when and from where, written from every {@link DomainEvent}.
 *
 * <ul>
 *   <li>An event published inside a read-write transaction (a change, a login) is written in that
 *       transaction, as it commits ({@code BEFORE_COMMIT}): the entry commits with the change or not at
 *       all, so a rolled-back change is never audited and a committed one always is, and the request
 *       needs no second database connection.</li>
 *   <li>An event published outside a transaction or in a read-only one (a pull, a token) is queued
 *       and written in batches by a background thread every {@code wharf.audit.flush-interval}
 *       (default one second) and at shutdown, so a pull costs no transaction of its own. The queue is
 *       bounded (50,000 entries); when it is full, which takes a database that has stopped taking
 *       writes, entries are dropped, counted ({@code wharf.audit.dropped}) and logged rather than
 *       written by the request, which would need a second connection.</li>
 * </ul>
 */
@Service
public class AuditService {

    private static final Logger log = LoggerFactory.getLogger(AuditService.class);
    private static final int QUEUE_CAPACITY = 50_000;
    private static final int BATCH = 500;

    private final AuditRepository entries;
    private final TransactionTemplate newTransaction;
    private final BlockingQueue<DomainEvent> pending = new LinkedBlockingQueue<>(QUEUE_CAPACITY);

    private final io.micrometer.core.instrument.Counter dropped;

    AuditService(AuditRepository entries, PlatformTransactionManager transactions,
                 org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        this.entries = entries;
        this.dropped = io.micrometer.core.instrument.Counter.builder("wharf.audit.dropped")
            .description("audit entries dropped because the write queue was full")
            .register(meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Records {@code event}: in its committing transaction when it changes something, else through the queue. */
    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    public void on(DomainEvent event) {
        if (TransactionSynchronizationManager.isActualTransactionActive()
            && !TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
            entries.save(new AuditEntity(event));
        } else if (!pending.offer(event)) {
            // never write here: inside a request's transaction that would take a second pooled connection
            dropped.increment();
            log.warn("Audit queue full ({} entries): dropped {}", QUEUE_CAPACITY, event);
        }
    }

    /** Writes the queued entries now; returns how many were written. Runs on a schedule and at shutdown. */
    @Scheduled(fixedDelayString = "${wharf.audit.flush-interval:1s}")
    @PreDestroy
    public int flush() {
        int written = 0;
        List<DomainEvent> batch = new ArrayList<>(BATCH);
        while (pending.drainTo(batch, BATCH) > 0) {
            write(batch);
            written += batch.size();
            batch.clear();
        }
        return written;
    }

    /** The newest entries first. */
    @Transactional(readOnly = true)
    public List<AuditRecord> recent(int limit) {
        return entries.findByOrderByIdDesc(PageRequest.of(0, limit)).stream().map(AuditEntity::toRecord).toList();
    }

    private void write(List<DomainEvent> events) {
        try {
            newTransaction.executeWithoutResult(status -> entries.saveAll(events.stream().map(AuditEntity::new).toList()));
        } catch (RuntimeException e) {
            log.warn("Could not write {} audit entries (first: {}): {}", events.size(), events.get(0), e.toString());
        }
    }
}
