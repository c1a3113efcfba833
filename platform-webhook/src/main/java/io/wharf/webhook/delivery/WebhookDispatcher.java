package io.wharf.webhook.delivery;

import io.wharf.webhook.WebhookProperties;
import io.wharf.webhook.policy.Subscriptions;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends queued deliveries, on every node. A node claims due tasks in a short transaction with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED} (so two nodes never claim the same one) and marks each
 * {@code Running} under a lease of {@code wharf.webhook.lease}; it sends outside any transaction, then
 * records the attempt only if it still holds the lease. A node that dies mid-attempt leaves a lease
 * that runs out, and any node then takes the task over, so a restart loses no delivery (a receiver may
 * then get that one twice: delivery is at least once). A failed attempt is retried after
 * {@code retry-backoff}, doubling each time, until {@code max-attempts}. Every decision reads the
 * injected clock; a schedule calls {@link #deliverDueNow()} every {@code poll-interval}. Each recorded
 * attempt is counted in {@code wharf.webhook.deliveries{outcome}} ({@link WebhookMeters}).
 */
@Component
public class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final HttpSender sender;
    private final Subscriptions subscriptions;
    private final WebhookNotifier notifier;
    private final WebhookProperties properties;
    private final WebhookMeters meters;
    private final Clock clock;
    private final String node = "node-" + UUID.randomUUID().toString().substring(0, 8);
    private final ExecutorService senders;

    WebhookDispatcher(JdbcTemplate jdbc, PlatformTransactionManager transactions, HttpSender sender, Subscriptions subscriptions,
                      WebhookNotifier notifier, WebhookProperties properties, WebhookMeters meters, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.sender = sender;
        this.subscriptions = subscriptions;
        this.notifier = notifier;
        this.properties = properties;
        this.meters = meters;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(Math.max(1, properties.concurrency()), runnable -> {
            Thread thread = new Thread(runnable, "webhook-sender-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A claimed task with what sending it needs. */
    private record Claimed(long id, long policyId, boolean policyEnabled, String address, @Nullable String authHeader,
                           boolean skipCertVerify, String contentType, String payload, int attempt) {
    }

    @Scheduled(fixedDelayString = "${wharf.webhook.poll-interval:2s}", initialDelayString = "${wharf.webhook.poll-interval:2s}")
    void poll() {
        try {
            deliverDueNow();
        } catch (RuntimeException e) {
            log.warn("Webhook deliveries could not be sent: {}", e.toString());
        }
    }

    /**
     * Queues pending pull notifications, then makes one attempt at every delivery due now (by the
     * clock) that no other node holds, and waits for those attempts; returns how many were made.
     */
    public int deliverDueNow() {
        notifier.flushPulls();
        int attempts = 0;
        while (true) {
            List<Claimed> claimed = claim();
            if (claimed.isEmpty()) {
                return attempts;
            }
            List<Future<?>> running = new ArrayList<>();
            claimed.forEach(task -> running.add(senders.submit(() -> attempt(task))));
            for (Future<?> future : running) {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return attempts;
                } catch (ExecutionException e) {
                    log.warn("A webhook attempt failed unexpectedly: {}", e.getCause().toString());
                }
            }
            attempts += claimed.size();
        }
    }

    @PreDestroy
    void stop() {
        senders.shutdownNow();
    }

    private List<Claimed> claim() {
        Instant now = clock.instant();
        List<Claimed> claimed = transaction.execute(status -> {
            List<Long> ids = jdbc.queryForList("SELECT id FROM webhook_task WHERE status IN ('Pending', 'Running')"
                    + " AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)"
                    + " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED",
                Long.class, ts(now), ts(now), properties.batchSize());
            if (ids.isEmpty()) {
                return List.<Claimed>of();
            }
            String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
            List<Object> args = new ArrayList<>();
            args.add(line(now, "the node sending the previous attempt stopped before it ended (its lease ran out)"));
            args.addAll(ids);
            jdbc.update("UPDATE webhook_task SET log = log || ? WHERE status = 'Running' AND id IN (" + in + ")", args.toArray());
            args.clear();
            args.add(ts(now.plus(properties.lease())));
            args.add(node);
            args.add(ts(now));
            args.addAll(ids);
            jdbc.update("UPDATE webhook_task SET status = 'Running', run_count = run_count + 1, lease_until = ?, lease_owner = ?,"
                + " updated_at = ? WHERE id IN (" + in + ")", args.toArray());
            return jdbc.query("SELECT t.id, p.id AS policy_id, p.enabled, t.address, t.auth_header, t.skip_cert_verify,"
                    + " t.content_type, t.payload, t.run_count FROM webhook_task t"
                    + " JOIN webhook_execution e ON e.id = t.execution_id JOIN webhook_policy p ON p.id = e.policy_id"
                    + " WHERE t.id IN (" + in + ") ORDER BY t.id",
                (rs, row) -> new Claimed(rs.getLong("id"), rs.getLong("policy_id"), rs.getBoolean("enabled"),
                    rs.getString("address"), rs.getString("auth_header"), rs.getBoolean("skip_cert_verify"),
                    rs.getString("content_type"), rs.getString("payload"), rs.getInt("run_count")), ids.toArray());
        });
        return claimed == null ? List.of() : claimed;
    }

    private void attempt(Claimed task) {
        if (!task.policyEnabled()) {
            Instant now = clock.instant();
            record(task, "Stopped", "the policy is disabled", now, null,
                line(now, "attempt " + task.attempt() + ": not sent, the policy is disabled"));
            return;
        }
        HttpSender.Outcome outcome;
        try {
            String authorization = task.authHeader() == null ? null : subscriptions.authHeader(task.policyId(), task.authHeader());
            outcome = sender.send(URI.create(task.address()), task.contentType(), task.payload(), authorization, task.skipCertVerify());
        } catch (RuntimeException e) {
            outcome = new HttpSender.Outcome(0, e.getMessage(), Duration.ZERO);
        }
        Instant now = clock.instant();
        String attempt = "attempt " + task.attempt() + ": " + outcome.describe();
        if (outcome.delivered()) {
            record(task, "Success", outcome.describe(), now, null, line(now, attempt));
        } else if (task.attempt() >= properties.maxAttempts()) {
            record(task, "Error", outcome.describe() + " (attempt " + task.attempt() + " of " + properties.maxAttempts() + ")", now,
                null, line(now, attempt + "; giving up after " + task.attempt() + " attempts"));
        } else {
            Instant next = now.plus(properties.backoff(task.attempt()));
            record(task, "Pending", outcome.describe() + "; next attempt at " + next, now, next,
                line(now, attempt + "; next attempt at " + next));
        }
    }

    private void record(Claimed task, String status, String message, Instant now, @Nullable Instant next, String logLine) {
        boolean ended = next == null;
        int updated = jdbc.update("UPDATE webhook_task SET status = ?, status_message = ?, log = log || ?, lease_until = NULL,"
                + " lease_owner = NULL, updated_at = ?, next_attempt_at = ?, end_time = ?"
                + " WHERE id = ? AND lease_owner = ? AND run_count = ?",
            status, message, logLine, ts(now), ts(next == null ? now : next),
            new SqlParameterValue(Types.TIMESTAMP, ended ? ts(now) : null), task.id(), node, task.attempt());
        if (updated > 0) {
            meters.recorded(status);
        } else {
            log.info("Webhook task {}: attempt {} ended after this node's lease ran out; another node has taken it over",
                task.id(), task.attempt());
        }
    }

    private static String line(Instant now, String text) {
        return now + " " + text + "\n";
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }
}
