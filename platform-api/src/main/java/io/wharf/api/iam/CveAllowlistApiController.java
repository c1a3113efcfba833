package io.wharf.api.iam;

import io.wharf.core.iam.Caller;
import io.wharf.core.iam.CveAllowlistService;
import io.wharf.core.iam.ProjectSettingsService;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * {@code /api/v2.0/system/CVEAllowlist}: the system's CVE allowlist, read by any logged-in caller and
 * replaced by system administrators (Harbor). Projects use it while {@code reuse_sys_cve_allowlist}
 * is true.
 */
@RestController
@RequestMapping("/api/v2.0/system/CVEAllowlist")
class CveAllowlistApiController {

    private final CveAllowlistService allowlists;

    CveAllowlistApiController(CveAllowlistService allowlists) {
        this.allowlists = allowlists;
    }

    @GetMapping
    Map<String, Object> get(@AuthenticationPrincipal Caller caller) {
        return CveAllowlistJson.json(allowlists.system(caller));
    }

    @PutMapping
    ResponseEntity<Void> put(@AuthenticationPrincipal Caller caller, @RequestBody CveAllowlistJson.Body body) {
        ProjectSettingsService.AllowlistUpdate update = body.update();
        allowlists.setSystem(caller, update.items(), update.expiresAt());
        return ResponseEntity.ok().build();
    }
}
