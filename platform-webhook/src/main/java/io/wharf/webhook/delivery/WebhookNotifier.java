package io.wharf.webhook.delivery;

import io.wharf.core.PlatformProperties;
import io.wharf.core.artifact.RepositoryService;
import io.wharf.core.artifact.ScanCompleted;
import io.wharf.core.artifact.ScanFailed;
import io.wharf.core.event.ReplicationOutcome;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.quota.QuotaExceeded;
import io.wharf.core.quota.QuotaEvent;
import io.wharf.core.registry.ArtifactDeleted;
import io.wharf.core.registry.ArtifactPulled;
import io.wharf.core.registry.ArtifactPushed;
import io.wharf.core.registry.RepositoryName;
import io.wharf.webhook.policy.EventType;
import io.wharf.webhook.policy.Subscriptions;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns core's events into queued deliveries. A push, a delete and the end of a replication queue
 * theirs in the transaction that publishes the event (before it commits), so they commit together;
 * sending is the dispatcher's, later, so a slow receiver never slows the push. A pull, which has no
 * write transaction of its own, costs a place in an in-memory queue; once per second and at shutdown one
 * transaction reads the policies of each pulled project once and queues the deliveries, so every node
 * reads the same policies. A flush that fails puts its pulls back for the next one (each pull up to
 * {@value #MAX_FLUSHES} times, and only while the queue holds fewer than {@value #CAPACITY}); a pull
 * that finds the queue full is dropped and counted in the next flush's warning. So a node that stops
 * gracefully loses none, and one that dies loses at most that second of pull notifications.
 */
@Component
class WebhookNotifier {

    private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
    /** The report type a failed scan's overview is keyed by (the vulnerability report Wharf asks for). */
    private static final String VULNERABILITY_REPORT = "application/vnd.security.vulnerability.report; version=1.1";
    /** Pulls that wait in memory at the most; only flushes that keep failing can fill the queue. */
    static final int CAPACITY = 100_000;
    /** Flushes a pull may fail in before it is dropped (a minute at the default interval). */
    static final int MAX_FLUSHES = 60;

    /** A pull waiting to be queued, with the number of flushes that failed to queue it. */
    private record PendingPull(ArtifactPulled pulled, int failedFlushes) {
    }

    private final Subscriptions subscriptions;
    private final DeliveryQueue queue;
    private final ProjectService projects;
    private final RepositoryService repositories;
    private final PlatformProperties platform;
    private final TransactionTemplate transaction;
    private final BlockingQueue<PendingPull> pulls = new LinkedBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();

    WebhookNotifier(Subscriptions subscriptions, DeliveryQueue queue, ProjectService projects, RepositoryService repositories,
                    PlatformProperties platform, PlatformTransactionManager transactions) {
        this.subscriptions = subscriptions;
        this.queue = queue;
        this.projects = projects;
        this.repositories = repositories;
        this.platform = platform;
        this.transaction = new TransactionTemplate(transactions);
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void on(ArtifactPushed pushed) {
        notify(EventType.PUSH_ARTIFACT, pushed.occurredAt(), pushed.actor(), pushed.repository(), pushed.digest().toString(), pushed.tag());
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void on(ArtifactDeleted deleted) {
        notify(EventType.DELETE_ARTIFACT, deleted.occurredAt(), deleted.actor(), deleted.repository(), deleted.digest().toString(), null);
    }

    /** Harbor's {@code SCANNING_COMPLETED}: the artifact with the {@code scan_overview} of its new report. */
    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void on(ScanCompleted scan) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("total", scan.total());
        summary.put("fixable", scan.fixable());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scan_status", "Success");
        report.put("severity", scan.severity());
        report.put("summary", summary);
        report.put("scanner", Map.of("name", scan.scanner()));
        notify(EventType.SCANNING_COMPLETED, scan.occurredAt(), scan.actor(), scan.repository(), scan.digest().toString(), null,
            Map.of("scan_overview", Map.of(scan.reportMimeType(), report)));
    }

    /** Harbor's {@code SCANNING_FAILED} (the scan ended as {@code Error} or {@code Stopped}). */
    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void on(ScanFailed scan) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scan_status", scan.status());
        report.put("scanner", Map.of("name", scan.scanner()));
        report.put("error", scan.reason());
        notify(EventType.SCANNING_FAILED, scan.occurredAt(), scan.actor(), scan.repository(), scan.digest().toString(), null,
            Map.of("scan_overview", Map.of(VULNERABILITY_REPORT, report)));
    }

    /**
     * Harbor's {@code QUOTA_WARNING} (a push took the project's usage to the warning level; queued with the
     * push) and {@code QUOTA_EXCEED} (a push was refused; queued in the refusal's own transaction), in Harbor's
     * quota payload: the repository (without {@code date_created}), the digest when known, and the
     * explanation as {@code custom_attributes.Details}.
     */
    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void on(QuotaEvent quota) {
        EventType type = quota instanceof QuotaExceeded ? EventType.QUOTA_EXCEED : EventType.QUOTA_WARNING;
        RepositoryName repository = quota.repository();
        Project project = projects.find(repository.project()).orElse(null);
        List<Subscriptions.Subscriber> subscribers = project == null ? List.of() : subscriptions.subscribers(project, type);
        if (subscribers.isEmpty()) {
            return;
        }
        String fullName = repository.toString();
        Map<String, Object> repo = new LinkedHashMap<>();
        repo.put("name", fullName.substring(project.name().length() + 1));
        repo.put("namespace", project.name());
        repo.put("repo_full_name", fullName);
        repo.put("repo_type", project.isPublic() ? "public" : "private");
        Map<String, Object> data = new LinkedHashMap<>();
        if (quota.digest() != null) {
            data.put("resources", List.of(Map.of("digest", quota.digest())));
        }
        data.put("repository", repo);
        data.put("custom_attributes", Map.of("Details", quota.message()));
        queue.enqueue(new Notification(type, quota.occurredAt(), quota.actor(), project, data), subscribers);
    }

    /** Queued in memory only; the flush asks the database which projects want pulls. */
    @EventListener
    void on(ArtifactPulled pulled) {
        if (!pulls.offer(new PendingPull(pulled, 0))) {
            dropped.incrementAndGet();
        }
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void on(ReplicationOutcome outcome) {
        Set<String> names = new LinkedHashSet<>();
        outcome.localRepositories().forEach(r -> names.add(RepositoryName.of(r).project()));
        for (String name : names) {
            projects.find(name).ifPresent(project -> {
                List<Subscriptions.Subscriber> subscribers = subscriptions.subscribers(project, EventType.REPLICATION);
                if (subscribers.isEmpty()) {
                    return;
                }
                Map<String, Object> replication = new LinkedHashMap<>();
                replication.put("harbor_hostname", host() == null ? "" : host());
                replication.put("job_status", outcome.jobStatus());
                replication.put("execution_timestamp", outcome.occurredAt().getEpochSecond());
                replication.put("policy_name", outcome.policyName());
                replication.put("execution_id", outcome.executionId());
                replication.put("repositories", outcome.localRepositories().stream()
                    .filter(r -> RepositoryName.of(r).project().equals(name)).toList());
                queue.enqueue(new Notification(EventType.REPLICATION, outcome.occurredAt(), outcome.actor(), project,
                    Map.of("replication", replication)), subscribers);
            });
        }
    }

    /**
     * Queues the pulls seen since the last flush, in one transaction that reads each pulled project's
     * policies once; returns how many tasks were queued. Runs on a schedule, before each delivery round
     * and at shutdown; when the transaction fails, the pulls wait for the next flush.
     */
    @Scheduled(fixedDelayString = "${wharf.webhook.pull-flush-interval:1s}")
    @PreDestroy
    int flushPulls() {
        List<PendingPull> batch = new ArrayList<>();
        pulls.drainTo(batch);
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            log.warn("Dropped {} pull notifications: more than {} were waiting", lost, CAPACITY);
        }
        if (batch.isEmpty()) {
            return 0;
        }
        Map<String, List<ArtifactPulled>> byProject = new LinkedHashMap<>();
        batch.forEach(p -> byProject.computeIfAbsent(p.pulled().repository().project(), name -> new ArrayList<>()).add(p.pulled()));
        try {
            Integer queued = transaction.execute(status -> {
                int tasks = 0;
                for (Map.Entry<String, List<ArtifactPulled>> entry : byProject.entrySet()) {
                    Project project = projects.find(entry.getKey()).orElse(null);
                    List<Subscriptions.Subscriber> subscribers = project == null ? List.of()
                        : subscriptions.subscribers(project, EventType.PULL_ARTIFACT);
                    for (ArtifactPulled p : subscribers.isEmpty() ? List.<ArtifactPulled>of() : entry.getValue()) {
                        tasks += enqueue(project, subscribers, EventType.PULL_ARTIFACT, p.occurredAt(), p.actor(), p.repository(),
                            p.digest().toString(), p.reference().startsWith("sha256:") ? null : p.reference(), Map.of());
                    }
                }
                return tasks;
            });
            return queued == null ? 0 : queued;
        } catch (RuntimeException e) {
            int kept = 0;
            for (PendingPull p : batch) {
                if (p.failedFlushes() + 1 < MAX_FLUSHES && pulls.offer(new PendingPull(p.pulled(), p.failedFlushes() + 1))) {
                    kept++;
                }
            }
            log.warn("Could not queue the pull notifications of {} projects ({} kept for the next flush, {} dropped): {}",
                byProject.size(), kept, batch.size() - kept, e.toString());
            return 0;
        }
    }

    private int notify(EventType type, Instant occurredAt, @Nullable String operator, RepositoryName repository, String digest,
                       @Nullable String tag) {
        return notify(type, occurredAt, operator, repository, digest, tag, Map.of());
    }

    private int notify(EventType type, Instant occurredAt, @Nullable String operator, RepositoryName repository, String digest,
                       @Nullable String tag, Map<String, Object> more) {
        Project project = projects.find(repository.project()).orElse(null);
        if (project == null) {
            return 0;
        }
        List<Subscriptions.Subscriber> subscribers = subscriptions.subscribers(project, type);
        if (subscribers.isEmpty()) {
            return 0;
        }
        return enqueue(project, subscribers, type, occurredAt, operator, repository, digest, tag, more);
    }

    private int enqueue(Project project, List<Subscriptions.Subscriber> subscribers, EventType type, Instant occurredAt,
                        @Nullable String operator, RepositoryName repository, String digest, @Nullable String tag,
                        Map<String, Object> more) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("digest", digest);
        if (tag != null) {
            resource.put("tag", tag);
        }
        String host = host();
        resource.put("resource_url", (host == null ? "" : host + "/") + repository + (tag != null ? ":" + tag : "@" + digest));
        resource.putAll(more);
        String fullName = repository.toString();
        Map<String, Object> repo = new LinkedHashMap<>();
        // a deleted artifact's repository may have gone with it: then the event's time stands in
        repo.put("date_created", repositories.find(repository).map(r -> r.createdAt().toEpochSecond())
            .orElse(occurredAt.getEpochSecond()));
        repo.put("name", fullName.substring(project.name().length() + 1));
        repo.put("namespace", project.name());
        repo.put("repo_full_name", fullName);
        repo.put("repo_type", project.isPublic() ? "public" : "private");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("resources", List.of(resource));
        data.put("repository", repo);
        return queue.enqueue(new Notification(type, occurredAt, operator, project, data), subscribers);
    }

    /** The registry's host ({@code host[:port]} of {@code wharf.external-url}), or null when it is not set. */
    private @Nullable String host() {
        String external = platform.externalUrl();
        if (external == null || external.isBlank()) {
            return null;
        }
        URI uri = URI.create(external.trim());
        return uri.getAuthority() != null ? uri.getAuthority() : external.trim();
    }
}
