package io.wharf.webhook.delivery;

import io.wharf.webhook.policy.Subscriptions;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Puts deliveries in the database: for each enabled policy of the project that wants the event, one
 * execution, and one task per target, due now. Runs in the caller's transaction, so what a push
 * commits and what it asks to deliver commit together.
 */
@Component
class DeliveryQueue {

    private final JdbcTemplate jdbc;
    private final Payloads payloads;
    private final Clock clock;

    DeliveryQueue(JdbcTemplate jdbc, Payloads payloads, Clock clock) {
        this.jdbc = jdbc;
        this.payloads = payloads;
        this.clock = clock;
    }

    /** Queues {@code notification} for {@code subscribers}; returns how many tasks were queued. */
    int enqueue(Notification notification, List<Subscriptions.Subscriber> subscribers) {
        int queued = 0;
        Timestamp now = Timestamp.from(clock.instant());
        for (Subscriptions.Subscriber subscriber : subscribers) {
            long execution = insertExecution(subscriber.policyId(), notification, now);
            for (Subscriptions.StoredTarget target : subscriber.targets()) {
                Payloads.Body body = payloads.render(target.format(), notification, subscriber.policyId());
                jdbc.update("INSERT INTO webhook_task (execution_id, address, auth_header, skip_cert_verify, payload_format,"
                        + " content_type, payload, status, run_count, next_attempt_at, log, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, 'Pending', 0, ?, '', ?, ?)",
                    execution, target.address(), new SqlParameterValue(Types.VARCHAR, target.authHeader()), target.skipCertVerify(), target.format().harborName(),
                    body.contentType(), body.json(), now, now, now);
                queued++;
            }
        }
        return queued;
    }

    private long insertExecution(long policyId, Notification notification, Timestamp now) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO webhook_execution (policy_id, event_type, created_at) VALUES (?, ?, ?)", new String[]{"id"});
            insert.setLong(1, policyId);
            insert.setString(2, notification.type().name());
            insert.setTimestamp(3, now);
            return insert;
        }, key);
        return Objects.requireNonNull(key.getKey()).longValue();
    }
}
