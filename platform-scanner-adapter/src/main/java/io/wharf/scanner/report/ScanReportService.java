package io.wharf.scanner.report;

import io.wharf.core.artifact.Artifact;
import io.wharf.scanner.registration.ScannerRegistration;
import io.wharf.scanner.registration.ScannerRegistrationService;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Scan reports: stored once per scan job and report type, never changed ({@link #store}); read as
 * Harbor's {@code scan_overview} ({@link #overview}) and as the full report ({@link #vulnerabilities}),
 * both for the scanner the artifact's project uses now. Callers check access; this reads and writes.
 */
@Service
public class ScanReportService {

    /** The report type an overview is keyed by while no type has been chosen (a job not yet submitted). */
    public static final String DEFAULT_REPORT_TYPE = "application/vnd.security.vulnerability.report; version=1.1";
    /** The SBOM report type (spec 1.2). */
    public static final String SBOM_REPORT_TYPE = "application/vnd.security.sbom.report+json; version=1.0";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;
    private final ScannerRegistrationService registrations;

    ScanReportService(JdbcTemplate jdbc, ScannerRegistrationService registrations) {
        this.jdbc = jdbc;
        this.registrations = registrations;
    }

    /**
     * Stores the report of job {@code jobId}; call in the transaction that ends the job.
     *
     * @return the report's summary
     * @throws IllegalArgumentException when the report is not a JSON object
     */
    public ReportSummary store(long jobId, long registrationId, String digest, String mimeType, String json,
                               Instant start, Instant end) {
        ReportSummary summary = ReportSummary.of(json);
        JsonNode scanner = JSON.readTree(json).path("scanner");
        jdbc.update("INSERT INTO scan_report (uuid, job_id, registration_id, digest, mime_type, report, findings, severity, total,"
                + " fixable, summary, scanner_name, scanner_vendor, scanner_version, start_time, end_time)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            UUID.randomUUID().toString(), jobId, registrationId, digest, mimeType, json, Findings.of(json).encode(),
            summary.severity(), summary.total(),
            summary.fixable(), summary.countsJson(), text(scanner, "name"), text(scanner, "vendor"), text(scanner, "version"),
            OffsetDateTime.ofInstant(start, ZoneOffset.UTC), OffsetDateTime.ofInstant(end, ZoneOffset.UTC));
        return summary;
    }

    /**
     * The artifact's {@code scan_overview} by report type, with the project's scanner: the newest
     * scan's status and, once it succeeded, its report's summary. An index summarises its children.
     * Empty when the artifact was never scanned or the project has no scanner.
     */
    @Transactional(readOnly = true)
    public Map<String, ScanOverview> overview(Artifact artifact) {
        Optional<Long> registration = registrationId(artifact.projectId());
        if (registration.isEmpty()) {
            return Map.of();
        }
        if (artifact.references().isEmpty()) {
            return own(registration.get(), artifact.digest().toString()).map(o -> Map.of(o.type(), o.overview())).orElse(Map.of());
        }
        List<Typed> children = new ArrayList<>();
        for (Artifact.ArtifactReference child : artifact.references()) {
            own(registration.get(), child.childDigest().toString()).ifPresent(children::add);
        }
        if (children.isEmpty()) {
            return Map.of();
        }
        return Map.of(children.get(0).type(), summarise(children.stream().map(Typed::overview).toList(), artifact.references().size()));
    }

    /**
     * The artifact's SBOM scan with the project's scanner (Harbor's {@code sbom_overview}): the newest
     * SBOM scan's status and times; empty when none was asked for, and for an index.
     */
    @Transactional(readOnly = true)
    public Optional<ScanOverview> sbomOverview(Artifact artifact) {
        Optional<Long> registration = registrationId(artifact.projectId());
        if (registration.isEmpty() || !artifact.references().isEmpty()) {
            return Optional.empty();
        }
        return own(registration.get(), artifact.digest().toString(), "sbom").map(Typed::overview);
    }

    /**
     * The artifact's newest SBOM report (the adapter's, with the SBOM document in {@code sbom}) by
     * report type; empty when there is none, and for an index.
     */
    @Transactional(readOnly = true)
    public Map<String, String> sbom(Artifact artifact) {
        return reports(artifact, true);
    }

    /**
     * The artifact's newest successful report by report type, as the adapter wrote it; empty when
     * there is none, and for an index (its children have the reports).
     */
    @Transactional(readOnly = true)
    public Map<String, String> vulnerabilities(Artifact artifact) {
        return reports(artifact, false);
    }

    private Map<String, String> reports(Artifact artifact, boolean sbom) {
        Optional<Long> registration = registrationId(artifact.projectId());
        if (registration.isEmpty() || !artifact.references().isEmpty()) {
            return Map.of();
        }
        Map<String, String> reports = new LinkedHashMap<>();
        jdbc.query("SELECT mime_type, report FROM scan_report WHERE digest = ? AND registration_id = ? AND mime_type "
                + (sbom ? "" : "NOT ") + "LIKE '%sbom%' ORDER BY id DESC",
            rs -> {
                reports.putIfAbsent(rs.getString(1), rs.getString(2));
            }, artifact.digest().toString(), registration.get());
        return reports;
    }

    /** The newest scan of {@code digest} by registration {@code registrationId}: its status and, when it succeeded, its findings. */
    public record Verdict(String status, @Nullable Findings findings) {
    }

    /**
     * What the pull policy needs of image {@code digest} with the project's scanner: the newest
     * scan's status and, when it succeeded, the findings of its vulnerability report. Empty when the
     * image was never scanned or the project has no scanner.
     */
    @Transactional(readOnly = true)
    public Optional<Verdict> verdict(long projectId, String digest) {
        Optional<Long> registration = registrationId(projectId);
        if (registration.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.query("SELECT j.status, r.findings, r.report FROM scan_job j LEFT JOIN scan_report r ON r.job_id = j.id"
                + " WHERE j.digest = ? AND j.registration_id = ? AND j.scan_type = 'vulnerability' ORDER BY j.id DESC, r.id LIMIT 1",
            (rs, i) -> {
                String status = rs.getString(1);
                if (!"Success".equals(status)) {
                    return new Verdict(status, null);
                }
                String findings = rs.getString(2);
                String report = rs.getString(3);
                return new Verdict(status, findings != null ? Findings.decode(findings)
                    : report != null ? Findings.of(report) : new Findings(Map.of()));
            }, digest, registration.get()).stream().findFirst();
    }

    private record Typed(String type, ScanOverview overview) {
    }

    private Optional<Long> registrationId(long projectId) {
        Optional<ScannerRegistration> registration = registrations.scannerOf(projectId);
        return registration.flatMap(r -> jdbc.queryForList("SELECT id FROM scanner_registration WHERE uuid = ?", Long.class, r.uuid())
            .stream().findFirst());
    }

    private Optional<Typed> own(long registrationId, String digest) {
        return own(registrationId, digest, "vulnerability");
    }

    private Optional<Typed> own(long registrationId, String digest, String scanType) {
        record Job(long id, String uuid, String status, @Nullable String type, @Nullable OffsetDateTime started,
                   @Nullable OffsetDateTime finished) {
        }
        List<Job> jobs = jdbc.query("SELECT id, uuid, status, report_type, started_at, finished_at FROM scan_job"
                + " WHERE digest = ? AND registration_id = ? AND scan_type = ? ORDER BY id DESC LIMIT 1",
            (rs, i) -> new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getObject(5, OffsetDateTime.class), rs.getObject(6, OffsetDateTime.class)), digest, registrationId, scanType);
        if (jobs.isEmpty()) {
            return Optional.empty();
        }
        Job job = jobs.get(0);
        String type = job.type() != null ? job.type() : "sbom".equals(scanType) ? SBOM_REPORT_TYPE : DEFAULT_REPORT_TYPE;
        if (!"Success".equals(job.status())) {
            long duration = job.started() != null && job.finished() != null ? Duration.between(job.started(), job.finished()).toSeconds() : 0;
            boolean ended = job.finished() != null;
            return Optional.of(new Typed(type, new ScanOverview(job.uuid(), job.status(), null, duration, null, job.started(),
                job.finished(), ended ? 100 : 0, null)));
        }
        return jdbc.query("SELECT uuid, mime_type, severity, total, fixable, summary, scanner_name, scanner_vendor, scanner_version,"
                + " start_time, end_time FROM scan_report WHERE job_id = ? ORDER BY id LIMIT 1",
            (rs, i) -> {
                OffsetDateTime start = rs.getObject(10, OffsetDateTime.class);
                OffsetDateTime end = rs.getObject(11, OffsetDateTime.class);
                ReportSummary summary = new ReportSummary(rs.getString(3), rs.getInt(4), rs.getInt(5),
                    ReportSummary.countsOf(rs.getString(6)));
                ScanOverview.Scanner scanner = rs.getString(7) == null ? null
                    : new ScanOverview.Scanner(rs.getString(7), nz(rs.getString(8)), nz(rs.getString(9)));
                return new Typed(rs.getString(2), new ScanOverview(rs.getString(1), "Success", summary.severity(),
                    Duration.between(start, end).toSeconds(), summary, start, end, 100, scanner));
            }, job.id()).stream().findFirst();
    }

    /** An index's overview from its children's: see {@link ScanOverview}. */
    static ScanOverview summarise(List<ScanOverview> children, int childCount) {
        String status = "Success";
        List<String> statuses = children.stream().map(ScanOverview::status).toList();
        if (statuses.contains("Running") || statuses.contains("Pending")) {
            status = statuses.stream().allMatch("Pending"::equals) ? "Pending" : "Running";
        } else if (statuses.contains("Error")) {
            status = "Error";
        } else if (statuses.contains("Stopped")) {
            status = "Stopped";
        }
        List<ReportSummary> summaries = children.stream().map(ScanOverview::summary).filter(s -> s != null).toList();
        ReportSummary summary = summaries.isEmpty() ? null : ReportSummary.sum(summaries);
        OffsetDateTime start = children.stream().map(ScanOverview::startTime).filter(t -> t != null).min(OffsetDateTime::compareTo).orElse(null);
        OffsetDateTime end = children.stream().map(ScanOverview::endTime).filter(t -> t != null).max(OffsetDateTime::compareTo).orElse(null);
        long ended = children.stream().filter(c -> c.endTime() != null).count();
        boolean done = !status.equals("Running") && !status.equals("Pending");
        return new ScanOverview(children.get(0).reportId(), status, summary == null ? null : summary.severity(),
            done && start != null && end != null ? Duration.between(start, end).toSeconds() : 0, summary, start, done ? end : null,
            (int) (ended * 100 / Math.max(1, childCount)), children.stream().map(ScanOverview::scanner).filter(s -> s != null)
                .findFirst().orElse(null));
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.asString() : null;
    }

    private static String nz(@Nullable String s) {
        return s == null ? "" : s;
    }
}
