package io.wharf.api.artifact;

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
 * pull; {@code {}} when there is none, and for an index, whose children have the reports).
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

    @PostMapping("/scan")
    ResponseEntity<Void> scan(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                              @PathVariable String repository, @PathVariable String reference) {
        scans.scan(caller, RepositoryPath.name(project, repository), reference);
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/scan/stop")
    ResponseEntity<Void> stop(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                              @PathVariable String repository, @PathVariable String reference) {
        scans.stop(caller, RepositoryPath.name(project, repository), reference);
        return ResponseEntity.accepted().build();
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
