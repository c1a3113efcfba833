package io.wharf.api.v2;

import io.wharf.core.registry.Page;
import io.wharf.core.registry.RegistryService;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.manifest.MediaTypes;
import io.wharf.core.registry.metadata.ManifestInfo;
import org.jspecify.annotations.Nullable;
import io.wharf.core.iam.Caller;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Content discovery: {@code tags/list}, {@code _catalog} and the referrers API. */
@RestController
class ListingController {

    private final RegistryService registry;

    ListingController(RegistryService registry) {
        this.registry = registry;
    }

    @GetMapping("/_wharf/v2/tags")
    ResponseEntity<byte[]> tags(@RequestAttribute(V2Route.ATTRIBUTE) V2Route route, @AuthenticationPrincipal Caller caller,
                                @RequestParam(required = false) @Nullable String n,
                                @RequestParam(required = false) @Nullable String last) {
        Integer size = V2Support.pageSize(n);
        Page page = registry.tags(caller, route.repository(), size, last);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", route.repository().value());
        body.put("tags", page.items());
        return ResponseEntity.ok()
            .headers(V2Support.pageHeaders("/v2/" + route.repository() + "/tags/list", page, size))
            .body(V2Support.json(body));
    }

    @GetMapping("/_wharf/v2/catalog")
    ResponseEntity<byte[]> catalog(@RequestParam(required = false) @Nullable String n,
                                   @RequestParam(required = false) @Nullable String last,
                                   @AuthenticationPrincipal Caller caller) {
        Integer size = V2Support.pageSize(n);
        Page page = registry.catalog(caller, size, last);
        return ResponseEntity.ok()
            .headers(V2Support.pageHeaders("/v2/_catalog", page, size))
            .body(V2Support.json(Map.of("repositories", page.items())));
    }

    @GetMapping("/_wharf/v2/referrers")
    ResponseEntity<byte[]> referrers(@RequestAttribute(V2Route.ATTRIBUTE) V2Route route, @AuthenticationPrincipal Caller caller,
                                     @RequestParam(required = false) @Nullable String artifactType) {
        Digest subject = Digest.parse(route.ref());
        String filter = artifactType == null || artifactType.isEmpty() ? null : artifactType;
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (ManifestInfo m : registry.referrers(caller, route.repository(), subject, filter)) {
            Map<String, Object> descriptor = new LinkedHashMap<>();
            descriptor.put("mediaType", m.mediaType());
            descriptor.put("digest", m.digest().toString());
            descriptor.put("size", m.size());
            if (m.artifactType() != null) {
                descriptor.put("artifactType", m.artifactType());
            }
            if (m.annotations() != null) {
                descriptor.put("annotations", V2Support.parseJson(m.annotations()));
            }
            manifests.add(descriptor);
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", manifests);
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.parseMediaType(MediaTypes.OCI_INDEX));
        if (filter != null) {
            headers.set("OCI-Filters-Applied", "artifactType");
        }
        return ResponseEntity.ok().headers(headers).body(V2Support.json(index));
    }
}
