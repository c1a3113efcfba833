package io.wharf.api.quota;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import io.wharf.api.iam.ApiPage;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.quota.Quota;
import io.wharf.core.quota.QuotaService;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2.0/quotas}: Harbor's quota API for system administrators. {@code GET /quotas} (filters
 * {@code reference=project}, {@code reference_id}; {@code sort} by {@code hard.storage} or
 * {@code used.storage}, {@code -} for descending; paged), {@code GET /quotas/{id}}, and
 * {@code PUT /quotas/{id}} with {@code {"hard":{"storage":N}}} (bytes, -1 for no limit).
 */
@RestController
@RequestMapping("/api/v2.0/quotas")
class QuotaApiController {

    private final QuotaService quotas;

    QuotaApiController(QuotaService quotas) {
        this.quotas = quotas;
    }

    /** Harbor's {@code Quota}. */
    @Schema(name = "Quota")
    record QuotaJson(long id, Ref ref, Map<String, Long> hard, Map<String, Long> used,
                     @JsonProperty("creation_time") String creationTime, @JsonProperty("update_time") String updateTime) {

        /** Harbor's {@code QuotaRefObject} of a project. */
        @Schema(name = "QuotaRefObject")
        record Ref(long id, String name, @JsonProperty("owner_name") @Nullable String ownerName) {
        }

        static QuotaJson of(Quota quota) {
            return new QuotaJson(quota.id(), new Ref(quota.projectId(), quota.project(), quota.ownerName()),
                Map.of("storage", quota.hard()), Map.of("storage", quota.used()), ApiPage.time(quota.createdAt()),
                ApiPage.time(quota.updatedAt()));
        }
    }

    @GetMapping
    ResponseEntity<List<QuotaJson>> list(@AuthenticationPrincipal Caller caller,
                                         @RequestParam(required = false) @Nullable String reference,
                                         @RequestParam(name = "reference_id", required = false) @Nullable String referenceId,
                                         @RequestParam(required = false) @Nullable String sort,
                                         @RequestParam(required = false) @Nullable Integer page,
                                         @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                         HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        Page<Quota> result = quotas.list(caller, reference, referenceId, sort, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, result)).body(result.map(QuotaJson::of).getContent());
    }

    @GetMapping("/{id}")
    QuotaJson get(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        return QuotaJson.of(quotas.get(caller, id));
    }

    /** Harbor's {@code QuotaUpdateReq}: {@code hard} must hold {@code storage}, an integer, and nothing else. */
    @PutMapping("/{id}")
    ResponseEntity<Void> update(@AuthenticationPrincipal Caller caller, @PathVariable long id,
                                @RequestBody(required = false) @Nullable Map<String, Object> body) {
        quotas.update(caller, id, storage(body));
        return ResponseEntity.ok().build();
    }

    private static long storage(@Nullable Map<String, Object> body) {
        if (body == null || !(body.get("hard") instanceof Map<?, ?> hard) || hard.isEmpty()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "hard is required: {\"hard\":{\"storage\":<bytes, -1 for no limit>}}");
        }
        Map<Object, Object> resources = new LinkedHashMap<>(hard);
        resources.remove("storage");
        if (!resources.isEmpty()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "resource " + resources.keySet().iterator().next()
                + " is not supported; only storage is");
        }
        Object value = hard.get("storage");
        if (!(value instanceof Integer || value instanceof Long)) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "hard.storage must be an integer number of bytes (-1 for no limit), not "
                + (value instanceof String ? "\"" + value + "\"" : value));
        }
        return ((Number) value).longValue();
    }
}
