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
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2.0/scanners}: scanner registrations, for system administrators. Credentials are
 * write-only: responses show {@code *****}. Creating, changing and pinging fetch the adapter's
 * metadata first; a failing adapter is a 400 whose message says why.
 */
@RestController
class ScannerApiController {

    private final ScannerRegistrationService scanners;

    ScannerApiController(ScannerRegistrationService scanners) {
        this.scanners = scanners;
    }

    @GetMapping("/api/v2.0/scanners")
    ResponseEntity<List<Map<String, Object>>> list(@AuthenticationPrincipal Caller caller,
                                                   @RequestParam(required = false) @Nullable String q,
                                                   @RequestParam(required = false) @Nullable String sort,
                                                   @RequestParam(required = false) @Nullable Integer page,
                                                   @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                   HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        Page<ScannerRegistration> result = scanners.list(caller, q, sort, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, result))
            .body(result.map(r -> ScannerJson.registration(r, null)).getContent());
    }

    @PostMapping("/api/v2.0/scanners")
    ResponseEntity<Void> create(@AuthenticationPrincipal Caller caller, @RequestBody ScannerJson.RegistrationRequest body) {
        ScannerRegistration created = scanners.create(caller, body.spec(null), true);
        return ResponseEntity.created(URI.create("/api/v2.0/scanners/" + created.uuid())).build();
    }

    /** Harbor's "test connection": 200 when the adapter sends valid metadata with these settings, else 400 with the reason. */
    @PostMapping("/api/v2.0/scanners/ping")
    ResponseEntity<Void> ping(@AuthenticationPrincipal Caller caller, @RequestBody ScannerJson.RegistrationRequest body) {
        ScannerJson.RegistrationRequest named = body.name() == null
            ? new ScannerJson.RegistrationRequest("ping", body.description(), body.url(), body.auth(), body.access_credential(),
                body.skip_certVerify(), body.use_internal_addr(), body.disabled())
            : body;
        scanners.ping(caller, named.spec(null));
        return ResponseEntity.ok().build();
    }

    @GetMapping("/api/v2.0/scanners/{registrationId}")
    Map<String, Object> get(@AuthenticationPrincipal Caller caller, @PathVariable String registrationId) {
        return ScannerJson.registration(scanners.get(caller, registrationId), null);
    }

    @PutMapping("/api/v2.0/scanners/{registrationId}")
    ResponseEntity<Void> update(@AuthenticationPrincipal Caller caller, @PathVariable String registrationId,
                                @RequestBody ScannerJson.RegistrationRequest body) {
        scanners.update(caller, registrationId, body.spec(scanners.get(caller, registrationId)));
        return ResponseEntity.ok().build();
    }

    /** Harbor's "set as default": {@code {"is_default": true}}; {@code false} changes nothing, as in Harbor. */
    @PatchMapping("/api/v2.0/scanners/{registrationId}")
    ResponseEntity<Void> setDefault(@AuthenticationPrincipal Caller caller, @PathVariable String registrationId,
                                    @RequestBody ScannerJson.IsDefault body) {
        if (body.is_default() == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "is_default is required");
        }
        if (body.is_default()) {
            scanners.setDefault(caller, registrationId);
        } else {
            scanners.get(caller, registrationId);
        }
        return ResponseEntity.ok().build();
    }

    /** Answers the deleted registration, as Harbor does. */
    @DeleteMapping("/api/v2.0/scanners/{registrationId}")
    Map<String, Object> delete(@AuthenticationPrincipal Caller caller, @PathVariable String registrationId) {
        return ScannerJson.registration(scanners.delete(caller, registrationId), null);
    }

    @GetMapping("/api/v2.0/scanners/{registrationId}/metadata")
    Map<String, Object> metadata(@AuthenticationPrincipal Caller caller, @PathVariable String registrationId) {
        return ScannerJson.metadata(scanners.metadata(caller, registrationId));
    }
}
