package io.wharf.webhook.delivery;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.webhook.policy.WebhookPolicyService;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What was sent: a policy's executions (newest first), their tasks and each task's log (one line per
 * attempt: time, HTTP status or error, duration, next attempt). Readable by whoever may read the
 * project's webhook policies.
 */
@Service
public class DeliveryLog {

    private static final String TASKS = "SELECT t.id, t.execution_id, p.id AS policy_id, p.name AS policy_name, e.event_type,"
        + " t.address, t.payload_format, t.status, t.status_message, t.run_count, t.created_at, t.updated_at, t.end_time"
        + " FROM webhook_task t JOIN webhook_execution e ON e.id = t.execution_id JOIN webhook_policy p ON p.id = e.policy_id";

    private static final RowMapper<WebhookTask> TASK = (rs, row) -> new WebhookTask(rs.getLong("id"), rs.getLong("execution_id"),
        rs.getLong("policy_id"), rs.getString("policy_name"), rs.getString("event_type"), rs.getString("address"),
        rs.getString("payload_format"), rs.getString("status"), rs.getString("status_message"), rs.getInt("run_count"),
        rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
        rs.getObject("end_time", OffsetDateTime.class));

    private final JdbcTemplate jdbc;
    private final WebhookPolicyService policies;

    DeliveryLog(JdbcTemplate jdbc, WebhookPolicyService policies) {
        this.jdbc = jdbc;
        this.policies = policies;
    }

    /** The executions of policy {@code policyId} of {@code project}, newest first. @throws PlatformException NOT_FOUND, DENIED */
    @Transactional(readOnly = true)
    public Page<WebhookExecution> executions(Caller caller, String project, long policyId, Pageable pageable) {
        policies.get(caller, project, policyId);
        Long total = jdbc.queryForObject("SELECT count(*) FROM webhook_execution WHERE policy_id = ?", Long.class, policyId);
        List<WebhookExecution> page = jdbc.query("SELECT e.id, e.policy_id, e.event_type, e.created_at, MAX(t.end_time) AS end_time,"
                + " SUM(CASE WHEN t.status IN ('Pending', 'Running') THEN 1 ELSE 0 END) AS open,"
                + " SUM(CASE WHEN t.status = 'Error' THEN 1 ELSE 0 END) AS errors,"
                + " SUM(CASE WHEN t.status = 'Stopped' THEN 1 ELSE 0 END) AS stopped"
                + " FROM webhook_execution e LEFT JOIN webhook_task t ON t.execution_id = e.id WHERE e.policy_id = ?"
                + " GROUP BY e.id, e.policy_id, e.event_type, e.created_at ORDER BY e.id DESC LIMIT ? OFFSET ?",
            (rs, row) -> {
                String status = rs.getLong("open") > 0 ? "Running" : rs.getLong("errors") > 0 ? "Error"
                    : rs.getLong("stopped") > 0 ? "Stopped" : "Success";
                return new WebhookExecution(rs.getLong("id"), rs.getLong("policy_id"), rs.getString("event_type"), status,
                    rs.getObject("created_at", OffsetDateTime.class),
                    status.equals("Running") ? null : rs.getObject("end_time", OffsetDateTime.class));
            }, policyId, pageable.getPageSize(), pageable.getOffset());
        return new PageImpl<>(page, pageable, total == null ? 0 : total);
    }

    /** The tasks of execution {@code executionId} of policy {@code policyId}. @throws PlatformException NOT_FOUND, DENIED */
    @Transactional(readOnly = true)
    public List<WebhookTask> tasks(Caller caller, String project, long policyId, long executionId) {
        requireExecution(caller, project, policyId, executionId);
        return jdbc.query(TASKS + " WHERE t.execution_id = ? ORDER BY t.id", TASK, executionId);
    }

    /** The log of task {@code taskId}, one line per attempt. @throws PlatformException NOT_FOUND, DENIED */
    @Transactional(readOnly = true)
    public String log(Caller caller, String project, long policyId, long executionId, long taskId) {
        requireExecution(caller, project, policyId, executionId);
        return jdbc.query("SELECT log FROM webhook_task WHERE id = ? AND execution_id = ?", (rs, row) -> rs.getString(1),
                taskId, executionId).stream().findFirst()
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "execution " + executionId + " has no task " + taskId));
    }

    /** The latest {@code limit} deliveries of every policy of {@code project}, newest first (the console's list). */
    @Transactional(readOnly = true)
    public List<WebhookTask> recent(Caller caller, String project, int limit) {
        Project readable = policies.readable(caller, project);
        return jdbc.query(TASKS + " WHERE p.project_id = ? ORDER BY t.id DESC LIMIT ?", TASK, readable.id(), limit);
    }

    private void requireExecution(Caller caller, String project, long policyId, long executionId) {
        policies.get(caller, project, policyId);
        Long found = jdbc.queryForObject("SELECT count(*) FROM webhook_execution WHERE id = ? AND policy_id = ?", Long.class,
            executionId, policyId);
        if (found == null || found == 0) {
            throw new PlatformException(ErrorCode.NOT_FOUND, "webhook policy " + policyId + " has no execution " + executionId);
        }
    }
}
