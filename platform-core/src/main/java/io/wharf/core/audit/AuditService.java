package io.wharf.core.audit;

import io.wharf.core.event.DomainEvent;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
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
 *       bounded; when it is full, entries are written at once instead of being dropped, and a failure
 *       to write them is logged.</li>
 * </ul>
 */
@Service
public class AuditService {

    private static final Logger log = LoggerFactory.getLogger(AuditService.class);
    private static final int QUEUE_CAPACITY = 50_000;
    private static final int BATCH = 500;

    private final AuditRepository entries;
    private final AccessPolicy policy;
    private final TransactionTemplate newTransaction;
    private final BlockingQueue<DomainEvent> pending = new LinkedBlockingQueue<>(QUEUE_CAPACITY);

    AuditService(AuditRepository entries, AccessPolicy policy, PlatformTransactionManager transactions) {
        this.entries = entries;
        this.policy = policy;
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
            write(List.of(event));
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

    /**
     * One page of the system audit log, newest first, counted by the database; system administrators only.
     *
     * @param pageable the page; its sort is ignored
     */
    @Transactional(readOnly = true)
    public Page<AuditRecord> page(Caller caller, Pageable pageable) {
        policy.requireSysadmin(caller);
        Pageable page = pageable.isPaged() ? PageRequest.of(pageable.getPageNumber(), pageable.getPageSize()) : pageable;
        return entries.findAllByOrderByIdDesc(page).map(AuditEntity::toRecord);
    }

    private void write(List<DomainEvent> events) {
        try {
            newTransaction.executeWithoutResult(status -> entries.saveAll(events.stream().map(AuditEntity::new).toList()));
        } catch (RuntimeException e) {
            log.warn("Could not write {} audit entries (first: {}): {}", events.size(), events.get(0), e.toString());
        }
    }
}
