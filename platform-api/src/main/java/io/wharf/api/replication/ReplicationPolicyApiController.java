package io.wharf.api.replication;

import io.wharf.api.iam.ApiPage;
import io.wharf.core.iam.Caller;
import io.wharf.replication.endpoint.RegistryEndpointService;
import io.wharf.replication.policy.ReplicationPolicy;
import io.wharf.replication.policy.ReplicationPolicyService;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2.0/replication/policies}, as Harbor's: the local side of a policy is the registry
 * with id 0 (or none); Wharf adds {@code concurrency}, {@code rate_limit_floor} and the
 * {@code platform} filter.
 */
@RestController
@RequestMapping("/api/v2.0/replication/policies")
class ReplicationPolicyApiController {

    private final ReplicationPolicyService policies;
    private final RegistryEndpointService endpoints;

    ReplicationPolicyApiController(ReplicationPolicyService policies, RegistryEndpointService endpoints) {
        this.policies = policies;
        this.endpoints = endpoints;
    }

    @GetMapping
    ResponseEntity<List<Map<String, Object>>> list(@AuthenticationPrincipal Caller caller,
                                                   @RequestParam(required = false) @Nullable String q,
                                                   @RequestParam(required = false) @Nullable String name,
                                                   @RequestParam(required = false) @Nullable String sort,
                                                   @RequestParam(required = false) @Nullable Integer page,
                                                   @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                   HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        // Harbor's older clients filter with ?name=; it means name=~
        String query = q == null && name != null ? "name=~" + name : q;
        Page<ReplicationPolicy> result = policies.list(caller, query, sort, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, result))
            .body(result.map(p -> json(caller, p)).getContent());
    }

    @PostMapping
    ResponseEntity<Void> create(@AuthenticationPrincipal Caller caller, @RequestBody ReplicationJson.PolicyRequest body) {
        ReplicationPolicy created = policies.create(caller, body.spec(null));
        return ResponseEntity.created(URI.create("/api/v2.0/replication/policies/" + created.id())).build();
    }

    @GetMapping("/{id}")
    Map<String, Object> get(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        return json(caller, policies.get(caller, id));
    }

    @PutMapping("/{id}")
    ResponseEntity<Void> update(@AuthenticationPrincipal Caller caller, @PathVariable long id,
                                @RequestBody ReplicationJson.PolicyRequest body) {
        policies.update(caller, id, body.spec(policies.get(caller, id).spec()));
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        policies.delete(caller, id);
        return ResponseEntity.ok().build();
    }

    private Map<String, Object> json(Caller caller, ReplicationPolicy policy) {
        return ReplicationJson.policy(policy, id -> ReplicationJson.registry(endpoints.get(caller, id)));
    }
}
