package io.wharf.api.artifact;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.wharf.scanner.trigger.ScanType;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.RequestBody;

import io.wharf.core.artifact.Artifact;
import io.wharf.core.artifact.ArtifactService;
import io.wharf.core.iam.Caller;
import io.wharf.scanner.report.ScanReportService;
import io.wharf.scanner.trigger.ScanService;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scanning an artifact: {@code POST .../scan} and {@code POST .../scan/stop} (202; project
 * administrators, maintainers and system administrators, as Harbor's RBAC), and
 * {@code GET .../additions/vulnerabilities}, the newest report keyed by report type (anyone who may
 * pull; {@code {}} when there is none, and for an index, whose children have the reports). Scan and
 * stop take Harbor's optional {@code {"scan_type":"sbom"}} for an SBOM scan; {@code .../additions/sbom}
 * returns the SBOM report.
 */
@RestController
@RequestMapping("/api/v2.0/projects/{project}/repositories/{repository}/artifacts/{reference}")
class ScanApiController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ScanService scans;
    private final ScanReportService reports;
    private final ArtifactService artifacts;

    ScanApiController(ScanService scans, ScanReportService reports, ArtifactService artifacts) {
        this.scans = scans;
        this.reports = reports;
        this.artifacts = artifacts;
    }

    /** Harbor's optional {@code ScanType} body: {@code {"scan_type":"vulnerability"|"sbom"}}. */
    record ScanTypeBody(@JsonProperty("scan_type") @Nullable String scanType) {
    }

    @PostMapping("/scan")
    ResponseEntity<Void> scan(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                              @PathVariable String repository, @PathVariable String reference,
                              @RequestBody(required = false) @Nullable ScanTypeBody body) {
        scans.scan(caller, RepositoryPath.name(project, repository), reference, ScanType.of(body == null ? null : body.scanType()));
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/scan/stop")
    ResponseEntity<Void> stop(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                              @PathVariable String repository, @PathVariable String reference,
                              @RequestBody(required = false) @Nullable ScanTypeBody body) {
        scans.stop(caller, RepositoryPath.name(project, repository), reference, ScanType.of(body == null ? null : body.scanType()));
        return ResponseEntity.accepted().build();
    }

    /**
     * The newest SBOM report keyed by report type (the adapter's, SPDX document in {@code sbom});
     * a Wharf addition beside Harbor's, which keeps SBOMs as accessory artifacts.
     */
    @GetMapping("/additions/sbom")
    JsonNode sbom(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                  @PathVariable String repository, @PathVariable String reference) {
        Artifact artifact = artifacts.get(caller, RepositoryPath.name(project, repository), reference, false);
        ObjectNode body = JSON.createObjectNode();
        reports.sbom(artifact).forEach((type, report) -> body.set(type, JSON.readTree(report)));
        return body;
    }

    @GetMapping("/additions/vulnerabilities")
    JsonNode vulnerabilities(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                             @PathVariable String repository, @PathVariable String reference) {
        Artifact artifact = artifacts.get(caller, RepositoryPath.name(project, repository), reference, false);
        ObjectNode body = JSON.createObjectNode();
        reports.vulnerabilities(artifact).forEach((type, report) -> body.set(type, JSON.readTree(report)));
        return body;
    }
}
