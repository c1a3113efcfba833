package io.wharf.api.iam;

import io.wharf.core.audit.AuditRecord;
import io.wharf.core.audit.AuditService;
import io.wharf.core.iam.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Harbor's audit logs: {@code GET /api/v2.0/audit-logs} (the whole log) and
 * {@code GET /api/v2.0/projects/{p}/logs} (one project's), filtered with Harbor's {@code q}
 * ({@link AuditQueryParser}), sorted with {@code sort}, paged with {@code page} and {@code page_size}.
 */
@RestController
class AuditLogApiController {

    private final AuditService audit;

    AuditLogApiController(AuditService audit) {
        this.audit = audit;
    }

    @GetMapping("/api/v2.0/audit-logs")
    ResponseEntity<List<Map<String, Object>>> all(@AuthenticationPrincipal Caller caller,
                                                  @RequestParam(required = false) @Nullable String q,
                                                  @RequestParam(required = false) @Nullable String sort,
                                                  @RequestParam(required = false) @Nullable Integer page,
                                                  @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                  HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        return respond(paging, request, audit.search(caller, AuditQueryParser.parse(q, sort), paging.pageable()));
    }

    @GetMapping("/api/v2.0/projects/{project}/logs")
    ResponseEntity<List<Map<String, Object>>> project(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                                                      @RequestParam(required = false) @Nullable String q,
                                                      @RequestParam(required = false) @Nullable String sort,
                                                      @RequestParam(required = false) @Nullable Integer page,
                                                      @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                      HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        return respond(paging, request, audit.projectLog(caller, project, AuditQueryParser.parse(q, sort), paging.pageable()));
    }

    private static ResponseEntity<List<Map<String, Object>>> respond(ApiPage paging, HttpServletRequest request, Page<AuditRecord> entries) {
        return ResponseEntity.ok().headers(paging.headers(request, entries)).body(entries.map(AuditLogApiController::json).getContent());
    }

    private static Map<String, Object> json(AuditRecord entry) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", entry.id());
        json.put("username", entry.username());
        json.put("resource", entry.resource());
        json.put("resource_type", entry.resourceType());
        json.put("operation", entry.operation());
        json.put("op_time", ApiPage.time(entry.occurredAt()));
        return json;
    }
}
