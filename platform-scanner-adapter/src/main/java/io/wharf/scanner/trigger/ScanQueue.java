package io.wharf.scanner.trigger;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code scan_job} table: the SQL of the queue, in the subset H2 (PostgreSQL mode) and PostgreSQL
 * both run. Callers own the transactions.
 *
 * <p>Claiming ({@link #claim}) locks the registration's row first, so two nodes claiming for one
 * registration take turns, and the count of its {@code Running} jobs they read is exact: at most
 * {@code limit} run at once across nodes. The jobs themselves are taken with
 * {@code FOR UPDATE SKIP LOCKED}. Every later change by a worker names the lease it holds
 * ({@code lease_owner}); when the lease was lost (the job was stopped, or ran out and another node
 * took it) the change matches no row and is dropped.
 */
@Component
class ScanQueue {

    private static final String SELECT = "SELECT j.*, r.uuid AS reg_uuid, r.name AS reg_name, r.disabled AS reg_disabled,"
        + " r.use_internal_addr AS reg_internal FROM scan_job j JOIN scanner_registration r ON r.id = j.registration_id ";

    private final JdbcTemplate jdbc;

    ScanQueue(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** What to scan. */
    record Target(String repository, String digest, String mediaType, @Nullable String tag) {
    }

    /**
     * Adds a Pending job unless one for the same digest and registration is Pending or Running.
     *
     * @return the new job's uuid, or the live job's when there was one
     */
    String enqueue(long registrationId, Target target, String triggerKind, @Nullable String actor, Instant now) {
        return enqueue(registrationId, target, ScanType.VULNERABILITY, triggerKind, actor, now);
    }

    /** As {@link #enqueue(long, Target, String, String, Instant)}, for a scan of {@code type}. */
    String enqueue(long registrationId, Target target, ScanType type, String triggerKind, @Nullable String actor, Instant now) {
        String uuid = UUID.randomUUID().toString();
        String key = activeKey(registrationId, target.digest(), type);
        int inserted = jdbc.update("INSERT INTO scan_job (uuid, registration_id, digest, repository, media_type, tag, status,"
                + " active_key, scan_type, trigger_kind, triggered_by, attempts, next_attempt_at, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'Pending', ?, ?, ?, ?, 0, ?, ?) ON CONFLICT DO NOTHING",
            uuid, registrationId, target.digest(), target.repository(), target.mediaType(), target.tag(),
            key, type.value(), triggerKind, actor, utc(now), utc(now));
        if (inserted == 1) {
            return uuid;
        }
        return jdbc.queryForList("SELECT uuid FROM scan_job WHERE active_key = ?", String.class, key).stream().findFirst().orElse(uuid);
    }

    /** Counts the live job {@code uuid} in scan-all run {@code runId}, unless an earlier run counts it already. */
    void countInRun(String uuid, long runId) {
        jdbc.update("UPDATE scan_job SET scan_all_run_id = ? WHERE uuid = ? AND scan_all_run_id IS NULL", runId, uuid);
    }

    /** The registrations with jobs due at {@code now}. */
    List<Long> registrationsWithDueJobs(Instant now) {
        return jdbc.queryForList("SELECT DISTINCT registration_id FROM scan_job WHERE status IN ('Pending', 'Running')"
            + " AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)", Long.class, utc(now), utc(now));
    }

    /**
     * Claims the due jobs of a registration for {@code owner} until {@code leaseUntil}: every due
     * Running job (a report to poll, or a lease that ran out), and Pending jobs while fewer than
     * {@code limit} run. Call inside a transaction.
     */
    List<Long> claim(long registrationId, String owner, Instant now, Instant leaseUntil, Instant deadline, int limit, int batch) {
        List<Long> locked = jdbc.queryForList("SELECT id FROM scanner_registration WHERE id = ? FOR UPDATE", Long.class, registrationId);
        if (locked.isEmpty()) {
            return List.of();
        }
        int running = jdbc.queryForObject("SELECT count(*) FROM scan_job WHERE registration_id = ? AND status = 'Running'",
            Integer.class, registrationId);
        List<Long> claimed = new ArrayList<>(jdbc.queryForList("SELECT id FROM scan_job WHERE registration_id = ?"
            + " AND status = 'Running' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)"
            + " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED", Long.class, registrationId, utc(now), utc(now), batch));
        int free = Math.min(limit - running, batch - claimed.size());
        if (free > 0) {
            claimed.addAll(jdbc.queryForList("SELECT id FROM scan_job WHERE registration_id = ? AND status = 'Pending'"
                + " AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED", Long.class,
                registrationId, utc(now), free));
        }
        for (long id : claimed) {
            jdbc.update("UPDATE scan_job SET status = 'Running', lease_owner = ?, lease_until = ?,"
                + " started_at = COALESCE(started_at, ?), deadline_at = COALESCE(deadline_at, ?) WHERE id = ?",
                owner, utc(leaseUntil), utc(now), utc(deadline), id);
        }
        return claimed;
    }

    Optional<ScanJob> find(long id) {
        return jdbc.query(SELECT + "WHERE j.id = ?", ROW, id).stream().findFirst();
    }

    /** The live jobs (Pending or Running) of {@code digest} with registration {@code registrationId}. */
    Optional<ScanJob> active(long registrationId, String digest, ScanType type) {
        return jdbc.query(SELECT + "WHERE j.active_key = ?", ROW, activeKey(registrationId, digest, type)).stream().findFirst();
    }

    /** Whether a vulnerability report of {@code digest} by registration {@code registrationId} exists. */
    boolean reported(long registrationId, String digest) {
        return jdbc.queryForObject("SELECT count(*) FROM scan_report r JOIN scan_job j ON j.id = r.job_id"
            + " WHERE r.registration_id = ? AND r.digest = ? AND j.scan_type = 'vulnerability'", Integer.class, registrationId, digest) > 0;
    }

    /** Records the adapter's request id and credential; the worker keeps the lease to poll for the report. */
    boolean submitted(long id, String owner, String requestId, String reportType, String credentialName, String logLine) {
        return jdbc.update("UPDATE scan_job SET adapter_request_id = ?, report_type = ?, credential_name = ?,"
            + " log = COALESCE(log, '') || ? WHERE id = ? AND lease_owner = ? AND status = 'Running'",
            requestId, reportType, credentialName, logLine, id, owner) == 1;
    }

    /** Gives the job back until {@code next}, counting an attempt when {@code failed}. */
    boolean release(long id, String owner, Instant next, boolean failed, String logLine) {
        return jdbc.update("UPDATE scan_job SET next_attempt_at = ?, attempts = attempts + ?, lease_owner = NULL,"
            + " lease_until = NULL, log = COALESCE(log, '') || ? WHERE id = ? AND lease_owner = ? AND status = 'Running'",
            utc(next), failed ? 1 : 0, logLine, id, owner) == 1;
    }

    /** Ends a job held by {@code owner} with {@code status}; false when the lease was lost. */
    boolean finish(long id, String owner, String status, Instant now, String logLine) {
        return jdbc.update("UPDATE scan_job SET status = ?, active_key = NULL, lease_owner = NULL, lease_until = NULL,"
            + " finished_at = ?, log = COALESCE(log, '') || ? WHERE id = ? AND lease_owner = ? AND status = 'Running'",
            status, utc(now), logLine, id, owner) == 1;
    }

    /** Stops the live job {@code id} whoever holds it; false when it had already ended. */
    boolean stop(long id, Instant now, String logLine) {
        return jdbc.update("UPDATE scan_job SET status = 'Stopped', active_key = NULL, lease_owner = NULL, lease_until = NULL,"
            + " finished_at = ?, log = COALESCE(log, '') || ? WHERE id = ? AND status IN ('Pending', 'Running')",
            utc(now), logLine, id) == 1;
    }

    /** How many jobs are Pending and Running, in that order. */
    long[] depth() {
        long[] depth = new long[2];
        jdbc.query("SELECT status, count(*) FROM scan_job WHERE status IN ('Pending', 'Running') GROUP BY status", rs -> {
            depth["Pending".equals(rs.getString(1)) ? 0 : 1] = rs.getLong(2);
        });
        return depth;
    }

    /** {@code <registration>|<digest>} for vulnerability scans (as before SBOMs), {@code …|sbom} for SBOMs. */
    private static String activeKey(long registrationId, String digest, ScanType type) {
        return registrationId + "|" + digest + (type == ScanType.VULNERABILITY ? "" : "|" + type.value());
    }

    /**
     * An instant as the database keeps it: PostgreSQL rounds to microseconds, so a deadline written
     * from a nanosecond clock could land after the same instant read back; truncating first keeps
     * "due at" comparisons exact on both databases.
     */
    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private static final RowMapper<ScanJob> ROW = (rs, i) -> new ScanJob(rs.getLong("id"), rs.getString("uuid"),
        rs.getLong("registration_id"), rs.getString("reg_uuid"), rs.getString("reg_name"), rs.getBoolean("reg_disabled"),
        rs.getBoolean("reg_internal"), rs.getString("digest"), rs.getString("repository"), rs.getString("media_type"),
        rs.getString("tag"), rs.getString("status"), rs.getString("triggered_by"), rs.getString("report_type"),
        rs.getString("adapter_request_id"), rs.getString("credential_name"), rs.getInt("attempts"),
        rs.getObject("deadline_at", OffsetDateTime.class), rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("started_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class), rs.getString("log"),
        ScanType.of(rs.getString("scan_type")));
}
