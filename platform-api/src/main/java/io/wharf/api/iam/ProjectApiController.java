package io.wharf.api.iam;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.ProjectSettingsService;
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
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2.0/projects}: create, list, read, update and delete projects. The listing takes
 * Harbor's {@code q} over {@code name} and {@code public}, and its {@code name} (a fragment) and
 * {@code public} parameters; it is always by name, Harbor's default order ({@code sort} is not taken).
 */
@RestController
@RequestMapping("/api/v2.0/projects")
class ProjectApiController {

    private final ProjectService projects;
    private final ProjectSettingsService settings;
    private final ProjectJson json;

    ProjectApiController(ProjectService projects, ProjectSettingsService settings, ProjectJson json) {
        this.projects = projects;
        this.settings = settings;
        this.json = json;
    }

    /**
     * Harbor's project request: {@code public} as a boolean or as {@code metadata.public} "true"/"false";
     * {@code storage_limit} in bytes (-1 for none), taken from system administrators only.
     */
    record ProjectRequest(@JsonProperty("project_name") @Nullable String projectName,
                          @JsonProperty("public") @Nullable Boolean isPublic,
                          @Nullable Map<String, Object> metadata,
                          @JsonProperty("registry_id") @Nullable Long registryId,
                          @JsonProperty("cve_allowlist") CveAllowlistJson.@Nullable Body cveAllowlist,
                          @JsonProperty("storage_limit") @Nullable Long storageLimit) {

        /** The settings in {@code metadata} as Harbor's strings (a JSON boolean is taken as its text). */
        Map<String, String> settings() {
            Map<String, String> values = new java.util.LinkedHashMap<>();
            if (metadata != null) {
                metadata.forEach((key, value) -> values.put(key, value == null ? null : String.valueOf(value)));
            }
            return values;
        }

        ProjectSettingsService.@Nullable AllowlistUpdate allowlist() {
            return cveAllowlist == null ? null : cveAllowlist.update();
        }

        @Nullable Boolean publicFlag() {
            if (isPublic != null) {
                return isPublic;
            }
            Object value = metadata == null ? null : metadata.get("public");
            if (value == null) {
                return null;
            }
            String text = String.valueOf(value);
            if (!text.equals("true") && !text.equals("false")) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "metadata.public must be \"true\" or \"false\"");
            }
            return Boolean.parseBoolean(text);
        }
    }

    @GetMapping
    ResponseEntity<List<Map<String, Object>>> list(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) @Nullable String q,
                                                   @RequestParam(required = false) @Nullable String name,
                                                   @RequestParam(name = "public", required = false) @Nullable Boolean isPublic,
                                                   @RequestParam(required = false) @Nullable Integer page,
                                                   @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                   HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        Page<Project> visible = projects.list(caller, q, name, isPublic, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, visible))
            .body(visible.map(p -> json.json(p, caller)).getContent());
    }

    @RequestMapping(method = RequestMethod.HEAD)
    ResponseEntity<Void> exists(@AuthenticationPrincipal Caller caller, @RequestParam(name = "project_name") String projectName) {
        return projects.exists(caller, projectName) ? ResponseEntity.ok().build() : ResponseEntity.notFound().build();
    }

    @PostMapping
    ResponseEntity<Void> create(@AuthenticationPrincipal Caller caller, @RequestBody ProjectRequest body) {
        if (body.projectName() == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "project_name is required");
        }
        Boolean flag = body.publicFlag();
        // Harbor's proxy-cache project: registry_id names the upstream endpoint (0 or null: a normal project)
        Long registry = body.registryId() == null || body.registryId() == 0 ? null : body.registryId();
        Project project = settings.create(caller, body.projectName(), flag != null && flag, registry, body.settings(),
            body.allowlist(), body.storageLimit());
        return ResponseEntity.created(URI.create("/api/v2.0/projects/" + project.id())).build();
    }

    @GetMapping("/{nameOrId}")
    Map<String, Object> get(@AuthenticationPrincipal Caller caller, @PathVariable String nameOrId) {
        return json.json(projects.get(caller, nameOrId), caller);
    }

    @PutMapping("/{nameOrId}")
    ResponseEntity<Void> update(@AuthenticationPrincipal Caller caller, @PathVariable String nameOrId, @RequestBody ProjectRequest body) {
        settings.update(caller, nameOrId, body.publicFlag(), body.settings(), body.allowlist());
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/{nameOrId}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable String nameOrId) {
        projects.delete(caller, nameOrId);
        return ResponseEntity.ok().build();
    }
}
