package io.wharf.api.replication;

import io.wharf.api.iam.ApiPage;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.replication.endpoint.EndpointType;
import io.wharf.replication.endpoint.RegistryEndpoint;
import io.wharf.replication.endpoint.RegistryEndpointService;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2.0/registries} (remote registry endpoints, for system administrators) and
 * {@code /api/v2.0/replication/adapters}. Secrets are write-only: responses show {@code *****}.
 */
@RestController
class RegistryApiController {

    private final RegistryEndpointService endpoints;

    RegistryApiController(RegistryEndpointService endpoints) {
        this.endpoints = endpoints;
    }

    @GetMapping("/api/v2.0/registries")
    ResponseEntity<List<Map<String, Object>>> list(@AuthenticationPrincipal Caller caller,
                                                   @RequestParam(required = false) @Nullable String q,
                                                   @RequestParam(required = false) @Nullable String sort,
                                                   @RequestParam(required = false) @Nullable Integer page,
                                                   @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                   HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        Page<RegistryEndpoint> result = endpoints.list(caller, q, sort, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, result))
            .body(result.map(ReplicationJson::registry).getContent());
    }

    @PostMapping("/api/v2.0/registries")
    ResponseEntity<Void> create(@AuthenticationPrincipal Caller caller, @RequestBody ReplicationJson.RegistryRequest body) {
        RegistryEndpoint created = endpoints.create(caller, body.spec(null));
        return ResponseEntity.created(URI.create("/api/v2.0/registries/" + created.id())).build();
    }

    @GetMapping("/api/v2.0/registries/{id}")
    Map<String, Object> get(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        return ReplicationJson.registry(endpoints.get(caller, id));
    }

    @PutMapping("/api/v2.0/registries/{id}")
    ResponseEntity<Void> update(@AuthenticationPrincipal Caller caller, @PathVariable long id,
                                @RequestBody ReplicationJson.RegistryRequest body) {
        endpoints.update(caller, id, body.spec(endpoints.get(caller, id)));
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/api/v2.0/registries/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        endpoints.delete(caller, id);
        return ResponseEntity.ok().build();
    }

    /**
     * Harbor's "test connection": 200 when the registry answers and accepts the credentials, else 400
     * with the reason. With an {@code id}, the stored endpoint's fields fill what the body leaves out
     * (its secret included).
     */
    @PostMapping("/api/v2.0/registries/ping")
    ResponseEntity<Map<String, Object>> ping(@AuthenticationPrincipal Caller caller, @RequestBody ReplicationJson.RegistryRequest body) {
        RegistryEndpoint stored = body.id() == null ? null : endpoints.get(caller, body.id());
        ReplicationJson.RegistryRequest named = body.name() == null
            ? new ReplicationJson.RegistryRequest(body.id(), stored == null ? "test" : stored.name(), body.type(), body.url(),
                body.credential(), body.insecure(), body.description())
            : body;
        RegistryEndpointService.Health health = endpoints.ping(caller, body.id(), named.spec(stored));
        if (!health.healthy()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "failed to ping the registry: " + health.message());
        }
        return ResponseEntity.ok(Map.of("reachable", true, "credentials_valid", true, "message", health.message()));
    }

    @GetMapping("/api/v2.0/replication/adapters")
    List<String> adapters(@AuthenticationPrincipal Caller caller) {
        endpoints.list(caller, null, null, ApiPage.of(1, 1).pageable()); // administrators only, as every replication call
        return Arrays.stream(EndpointType.values()).map(EndpointType::id).toList();
    }
}
