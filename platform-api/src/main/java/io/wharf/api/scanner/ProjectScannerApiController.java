package io.wharf.api.scanner;

import io.wharf.api.iam.ApiPage;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.scanner.registration.ScannerRegistration;
import io.wharf.scanner.registration.ScannerRegistrationService;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2.0/projects/{p}/scanner}: the registration a project scans with (its own, else the
 * default) with the adapter's {@code health} asked now; project administrators set it with
 * {@code {"uuid": ...}} and list the {@code candidates}, members read it.
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

    /** The registrations a project administrator may pick, paged and filtered as {@code /scanners}. */
    @GetMapping("/api/v2.0/projects/{project}/scanner/candidates")
    ResponseEntity<List<Map<String, Object>>> candidates(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                                                         @RequestParam(required = false) @Nullable String q,
                                                         @RequestParam(required = false) @Nullable String sort,
                                                         @RequestParam(required = false) @Nullable Integer page,
                                                         @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                         HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        Page<ScannerRegistration> result = scanners.candidates(caller, project, q, sort, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, result))
            .body(result.map(r -> ScannerJson.registration(r, null)).getContent());
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
