package io.wharf.api.scanner;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.scanner.registration.ScannerRegistrationService;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * {@code /api/v2.0/projects/{p}/scanner}: the registration a project scans with (its own, else the
 * default) with the adapter's {@code health} asked now; project administrators set it with
 * {@code {"uuid": ...}}, members read it.
 */
@RestController
class ProjectScannerApiController {

    private final ScannerRegistrationService scanners;

    ProjectScannerApiController(ScannerRegistrationService scanners) {
        this.scanners = scanners;
    }

    @GetMapping("/api/v2.0/projects/{project}/scanner")
    Map<String, Object> get(@AuthenticationPrincipal Caller caller, @PathVariable String project) {
        ScannerRegistrationService.ProjectScanner scanner = scanners.projectScanner(caller, project);
        return ScannerJson.registration(scanner.registration(), scanner.healthy() ? "healthy" : "unhealthy");
    }

    @PutMapping("/api/v2.0/projects/{project}/scanner")
    ResponseEntity<Void> set(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                             @RequestBody ScannerJson.ProjectScanner body) {
        if (body.uuid() == null || body.uuid().isBlank()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "uuid is required");
        }
        scanners.setProjectScanner(caller, project, body.uuid());
        return ResponseEntity.ok().build();
    }
}
