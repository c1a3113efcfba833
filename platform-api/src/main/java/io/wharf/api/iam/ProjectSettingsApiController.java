package io.wharf.api.iam;

import io.wharf.core.iam.Caller;
import io.wharf.core.iam.ProjectSettingsService;
import io.wharf.core.quota.QuotaService;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * {@code /api/v2.0/projects/{p}/summary} and {@code /metadatas}: a project's summary (repository and
 * member counts, storage quota; a proxy-cache project's upstream and cache statistics) and its settings as Harbor's
 * string metadata ({@code {"public": "true"}}).
 */
@RestController
@RequestMapping("/api/v2.0/projects/{project}")
class ProjectSettingsApiController {

    private final ProjectSettingsService settings;
    private final QuotaService quotas;

    ProjectSettingsApiController(ProjectSettingsService settings, QuotaService quotas) {
        this.settings = settings;
        this.quotas = quotas;
    }

    @GetMapping("/summary")
    ProjectSummaryJson summary(@AuthenticationPrincipal Caller caller, @PathVariable String project) {
        return ProjectSummaryJson.of(settings.summary(caller, project), quotas.ofProject(caller, project).orElse(null));
    }

    @GetMapping("/metadatas/")
    Map<String, String> metadata(@AuthenticationPrincipal Caller caller, @PathVariable String project) {
        return settings.metadata(caller, project);
    }

    @PostMapping("/metadatas/")
    ResponseEntity<Void> add(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                             @RequestBody(required = false) @Nullable Map<String, String> body) {
        settings.update(caller, project, body == null ? Map.of() : body);
        return ResponseEntity.ok().build();
    }

    @GetMapping("/metadatas/{name}")
    Map<String, String> metadata(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable String name) {
        return settings.metadata(caller, project, name).map(value -> Map.of(name, value)).orElse(Map.of());
    }

    /** Harbor takes the value of {@code name} from the body ({@code {"public": "false"}}); an absent value is empty. */
    @PutMapping("/metadatas/{name}")
    ResponseEntity<Void> update(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable String name,
                                @RequestBody(required = false) @Nullable Map<String, String> body) {
        String value = body == null || body.get(name) == null ? "" : body.get(name);
        settings.update(caller, project, Map.of(name, value));
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/metadatas/{name}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable String name) {
        settings.delete(caller, project, name);
        return ResponseEntity.ok().build();
    }
}
