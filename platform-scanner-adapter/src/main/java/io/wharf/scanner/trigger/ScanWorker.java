package io.wharf.scanner.trigger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wharf.core.PlatformProperties;
import io.wharf.core.artifact.ScanCompleted;
import io.wharf.core.artifact.ScanFailed;
import io.wharf.core.iam.ScanCredentialService;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.scanner.client.AdapterMetadata;
import io.wharf.scanner.client.ScanReport;
import io.wharf.scanner.client.ScanRequest;
import io.wharf.scanner.client.ScannerAdapterClient;
import io.wharf.scanner.client.ScannerAdapterException;
import io.wharf.scanner.registration.ScannerRegistrationService;
import io.wharf.scanner.report.ReportSummary;
import io.wharf.scanner.report.ScanReportService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the scan queue on this node: {@link #runDueJobs()} claims the due jobs of each registration
 * ({@link ScanQueue#claim}) and moves each one step: submit it to the adapter with a new scan
 * credential, then poll for the report (a 302 reschedules the job by {@code Refresh-After}, never
 * sleeping), store the report and end the job. Adapter calls run outside transactions.
 *
 * <ul>
 *   <li>Adapter 5xx and I/O failures are retried with doubling backoff; after
 *       {@link ScanProperties#maxAttempts()} tries the job ends as {@code Error}. Other refusals (4xx,
 *       a bad answer, a refused credential) end it at once, and so does a report poll answered 500
 *       with the adapter's error body: the adapter's word that the scan failed, its message logged.</li>
 *   <li>A job still running {@link ScanProperties#timeout()} after it started ends as {@code Error}.</li>
 *   <li>A stopped job's later answers are dropped: every write names the lease this worker holds.</li>
 *   <li>The scan credential is revoked when the job ends; otherwise it expires a little after the
 *       timeout.</li>
 * </ul>
 * Meters: {@code wharf.scanner.scans{registration,outcome}} ({@link ScanMeters}) and
 * {@code wharf.scanner.queue.depth{status}} (the whole queue, read on each run).
 */
@Component
public class ScanWorker {

    private static final Logger log = LoggerFactory.getLogger(ScanWorker.class);
    private static final Duration CREDENTIAL_MARGIN = Duration.ofMinutes(10);
    private static final int BATCH = 20;
    /** The SBOM format asked of adapters (harbor-scanner-trivy's). */
    private static final String SPDX = "application/spdx+json";

    private final ScanQueue queue;
    private final ScanProperties properties;
    private final ScannerRegistrationService registrations;
    private final ScanReportService reports;
    private final ScanCredentialService credentials;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final PlatformProperties platform;
    private final Environment environment;
    private final ScanMeters scans;
    private final String node = UUID.randomUUID().toString();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong running = new AtomicLong();

    ScanWorker(ScanQueue queue, ScanProperties properties, ScannerRegistrationService registrations, ScanReportService reports,
               ScanCredentialService credentials, ApplicationEventPublisher events, Clock clock,
               PlatformTransactionManager transactions, PlatformProperties platform, Environment environment,
               ObjectProvider<MeterRegistry> meters, ScanMeters scans) {
        this.queue = queue;
        this.properties = properties;
        this.registrations = registrations;
        this.reports = reports;
        this.credentials = credentials;
        this.events = events;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
        this.platform = platform;
        this.environment = environment;
        this.scans = scans;
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            Gauge.builder("wharf.scanner.queue.depth", pending, AtomicLong::get).tag("status", "pending").register(registry);
            Gauge.builder("wharf.scanner.queue.depth", running, AtomicLong::get).tag("status", "running").register(registry);
        }
    }

    /**
     * Claims and advances every job due now, one step each; returns how many were advanced. The
     * scheduled trigger calls it on every node; tests call it to drive the queue.
     */
    public int runDueJobs() {
        Instant now = clock.instant();
        credentials.purgeExpired();
        int advanced = 0;
        for (long registrationId : queue.registrationsWithDueJobs(now)) {
            List<Long> claimed = transaction.execute(s -> queue.claim(registrationId, node, now, now.plus(properties.lease()),
                now.plus(properties.timeout()), properties.maxConcurrentScans(), BATCH));
            for (long id : claimed) {
                try {
                    queue.find(id).ifPresent(this::advance);
                } catch (RuntimeException e) {
                    // the lease runs out and another run retries it; the other jobs go on
                    log.warn("scan job {} could not be advanced", id, e);
                }
                advanced++;
            }
        }
        long[] depth = queue.depth();
        pending.set(depth[0]);
        running.set(depth[1]);
        return advanced;
    }

    private void advance(ScanJob job) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        if (job.deadlineAt() != null && !now.isBefore(job.deadlineAt().toInstant())) {
            fail(job, "the scan did not finish within " + properties.timeout().toMinutes() + " min");
            return;
        }
        if (job.registrationDisabled()) {
            fail(job, "the scanner " + job.registrationName() + " is disabled");
            return;
        }
        try {
            ScannerAdapterClient client = registrations.client(job.registrationUuid());
            if (job.adapterRequestId() == null) {
                submit(job, client);
            } else {
                poll(job, client, job.adapterRequestId(), job.reportType());
            }
        } catch (ScannerAdapterException e) {
            boolean transientFailure = e.reason() == ScannerAdapterException.Reason.UNREACHABLE
                || e.reason() == ScannerAdapterException.Reason.TIMEOUT
                || (e.reason() == ScannerAdapterException.Reason.ERROR && e.status() >= 500);
            failed(job, e.getMessage(), transientFailure);
        } catch (RuntimeException e) {
            log.warn("scan job {} of {}@{} failed", job.uuid(), job.repository(), job.digest(), e);
            failed(job, "internal error: " + e.getClass().getSimpleName(), false);
        }
    }

    private void submit(ScanJob job, ScannerAdapterClient client) {
        AdapterMetadata metadata = client.metadata();
        String reportType;
        ScanRequest.EnabledCapability capability;
        if (job.scanType() == ScanType.SBOM) {
            if (!metadata.offersSbom()) {
                fail(job, "the scanner " + job.registrationName() + " produces no SBOM");
                return;
            }
            reportType = AdapterMetadata.SBOM_REPORT;
            capability = new ScanRequest.EnabledCapability("sbom", List.of(reportType), Map.of("sbom_media_types", List.of(SPDX)));
        } else {
            reportType = metadata.produces(AdapterMetadata.VULNERABILITY_REPORT) ? AdapterMetadata.VULNERABILITY_REPORT
                : metadata.produces(AdapterMetadata.VULNERABILITY_REPORT_V10) ? AdapterMetadata.VULNERABILITY_REPORT_V10 : null;
            if (reportType == null) {
                fail(job, "the scanner " + job.registrationName() + " produces no vulnerability report");
                return;
            }
            capability = new ScanRequest.EnabledCapability("vulnerability", List.of(reportType), Map.of());
        }
        if (job.credentialName() != null) {
            credentials.revoke(job.credentialName()); // an earlier attempt's
        }
        Instant deadline = job.deadlineAt() != null ? job.deadlineAt().toInstant() : clock.instant().plus(properties.timeout());
        ScanCredentialService.Issued credential = credentials.issue(RepositoryName.of(job.repository()), deadline.plus(CREDENTIAL_MARGIN));
        String requestId;
        try {
            requestId = client.scan(new ScanRequest(registryUrl(job), credential.basicAuthorization(), job.repository(), job.digest(),
                job.tag(), job.mediaType(), List.of(capability)));
        } catch (RuntimeException e) {
            credentials.revoke(credential.name());
            throw e;
        }
        Instant now = clock.instant();
        if (!queue.submitted(job.id(), node, requestId, reportType, credential.name(),
            line(now, "submitted to " + job.registrationName() + " as " + requestId))) {
            credentials.revoke(credential.name()); // stopped meanwhile
            return;
        }
        queue.find(job.id()).ifPresent(submitted -> poll(submitted, client, requestId, reportType));
    }

    private void poll(ScanJob job, ScannerAdapterClient client, String requestId, String reportType) {
        ScanReport report = client.report(requestId, reportType);
        Instant now = clock.instant();
        if (report instanceof ScanReport.NotReady notReady) {
            queue.release(job.id(), node, now.plus(notReady.refreshAfter()), false, "");
        } else if (report instanceof ScanReport.Failed failed) {
            // a 500 with the adapter's error body is its verdict on this scan (harbor-scanner-trivy: the
            // scan failed) and asking again repeats it; other 5xx (a proxy, a restarting adapter) may pass
            boolean scanFailed = failed.status() == 500 && failed.adapterError();
            failed(job, "the adapter answered " + failed.status() + ": " + failed.message(), failed.status() >= 500 && !scanFailed);
        } else if (report instanceof ScanReport.Ready ready) {
            succeed(job, reportType, ready.json());
        }
    }

    private void succeed(ScanJob job, String reportType, String json) {
        Instant now = clock.instant();
        Boolean stored = transaction.execute(s -> {
            if (!queue.finish(job.id(), node, ScanJob.SUCCESS, now, line(now, "report stored"))) {
                return false;
            }
            Instant start = job.startedAt() != null ? job.startedAt().toInstant() : now;
            ReportSummary summary = reports.store(job.id(), job.registrationId(), job.digest(), reportType, json, start, now);
            events.publishEvent(new ScanCompleted(job.triggeredBy(), null, now, RepositoryName.of(job.repository()),
                Digest.parse(job.digest()), job.registrationName(), reportType, summary.severity(), summary.total(), summary.fixable()));
            return true;
        });
        ended(job, Boolean.TRUE.equals(stored) ? "success" : null);
    }

    private void failed(ScanJob job, String reason, boolean retryable) {
        Instant now = clock.instant();
        if (retryable && job.attempts() + 1 < properties.maxAttempts()) {
            Duration backoff = properties.retryBackoff().multipliedBy(1L << Math.min(job.attempts(), 10));
            queue.release(job.id(), node, now.plus(backoff), true, line(now, "attempt " + (job.attempts() + 1) + " failed: " + reason));
            return;
        }
        fail(job, retryable ? reason + " (after " + properties.maxAttempts() + " attempts)" : reason);
    }

    private void fail(ScanJob job, String reason) {
        Instant now = clock.instant();
        Boolean ended = transaction.execute(s -> {
            if (!queue.finish(job.id(), node, ScanJob.ERROR, now, line(now, reason))) {
                return false;
            }
            events.publishEvent(new ScanFailed(job.triggeredBy(), null, now, RepositoryName.of(job.repository()),
                Digest.parse(job.digest()), job.registrationName(), ScanJob.ERROR, reason));
            return true;
        });
        ended(job, Boolean.TRUE.equals(ended) ? "error" : null);
    }

    private void ended(ScanJob job, @org.jspecify.annotations.Nullable String outcome) {
        if (job.credentialName() != null) {
            credentials.revoke(job.credentialName());
        }
        queue.find(job.id()).map(ScanJob::credentialName).ifPresent(credentials::revoke);
        if (outcome != null) {
            scans.ended(job.registrationName(), outcome);
        }
    }

    /**
     * Where the adapter pulls from: {@code wharf.scanner.registry-url} for registrations with
     * {@code use_internal_addr} (or when no external URL is set), else {@code wharf.external-url};
     * without either, this node on 127.0.0.1.
     */
    private String registryUrl(ScanJob job) {
        String internal = properties.registryUrl();
        String external = platform.externalUrl();
        if (internal != null && !internal.isBlank() && (job.useInternalAddr() || external == null || external.isBlank())) {
            return internal;
        }
        if (external != null && !external.isBlank()) {
            return external;
        }
        return "http://127.0.0.1:" + environment.getProperty("local.server.port", environment.getProperty("server.port", "5000"));
    }

    private static String line(Instant at, String text) {
        return at + " " + text + "\n";
    }
}
