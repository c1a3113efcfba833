package io.wharf.core.audit;

import io.wharf.core.event.DomainEvent;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
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
 * The audit log: who did what, when and from where, written from every {@link DomainEvent}, and
 * read back, filtered and paged in the database, by system administrators ({@link #search}) and by
 * the readers of a project's log ({@link #projectLog}).
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
    private final AccessPolicy policy;
    private final ProjectService projects;
    private final TransactionTemplate newTransaction;
    private final BlockingQueue<DomainEvent> pending = new LinkedBlockingQueue<>(QUEUE_CAPACITY);

    private final io.micrometer.core.instrument.Counter dropped;

    AuditService(AuditRepository entries, AccessPolicy policy, ProjectService projects, PlatformTransactionManager transactions,
                 org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        this.entries = entries;
        this.policy = policy;
        this.projects = projects;
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

    /**
     * One page of the whole audit log matching {@code query}, counted and cut by the database; for
     * system administrators.
     *
     * @param pageable the page; its sort is ignored (by time, then id, as {@code query} says)
     * @throws PlatformException {@link io.wharf.core.error.ErrorCode#UNAUTHORIZED} for anonymous callers,
     *                           {@link io.wharf.core.error.ErrorCode#DENIED} for everyone else who is no administrator
     */
    @Transactional(readOnly = true)
    public Page<AuditRecord> search(Caller caller, AuditQuery query, Pageable pageable) {
        policy.requireSysadmin(caller);
        return find(query, null, pageable);
    }

    /**
     * One page of the audit entries of the project's resources (the project, its members, project
     * robots, artifacts and blobs) matching {@code query}; for those who may read the project's log
     * ({@link Role.Capability#READ_LOGS}: Project Admins, Maintainers, system administrators).
     *
     * @throws PlatformException {@link io.wharf.core.error.ErrorCode#NOT_FOUND} for an unknown project,
     *                           {@code UNAUTHORIZED} or {@code DENIED} for callers who may not read it
     */
    @Transactional(readOnly = true)
    public Page<AuditRecord> projectLog(Caller caller, String project, AuditQuery query, Pageable pageable) {
        Project p = projects.get(project);
        policy.require(caller, p, Role.Capability.READ_LOGS);
        return find(query, p.name(), pageable);
    }

    private Page<AuditRecord> find(AuditQuery query, @Nullable String project, Pageable pageable) {
        Sort.Direction direction = query.oldestFirst() ? Sort.Direction.ASC : Sort.Direction.DESC;
        Pageable sorted = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), Sort.by(direction, "occurredAt", "id"));
        return entries.findAll(AuditSpecifications.matching(query, project), sorted).map(AuditEntity::toRecord);
    }

    private void write(List<DomainEvent> events) {
        try {
            newTransaction.executeWithoutResult(status -> entries.saveAll(events.stream().map(AuditEntity::new).toList()));
        } catch (RuntimeException e) {
            log.warn("Could not write {} audit entries (first: {}): {}", events.size(), events.get(0), e.toString());
        }
    }
}
