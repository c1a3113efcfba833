package io.wharf.api.iam;

import io.wharf.core.iam.Caller;
import io.wharf.core.system.SearchResult;
import io.wharf.core.system.SearchService;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v2.0/search?q=}: Harbor's {@code Search}, {@code {"project": [Project...],
 * "repository": [SearchRepository...]}}, of what the caller may see.
 */
@RestController
class SearchApiController {

    private final SearchService search;
    private final ProjectJson projects;

    SearchApiController(SearchService search, ProjectJson projects) {
        this.search = search;
        this.projects = projects;
    }

    @GetMapping("/api/v2.0/search")
    Map<String, Object> search(@AuthenticationPrincipal Caller caller, @RequestParam String q) {
        SearchResult result = search.search(caller, q);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("project", result.projects().stream().map(p -> projects.json(p, caller)).toList());
        json.put("repository", result.repositories().stream().map(r -> {
            Map<String, Object> repository = new LinkedHashMap<>();
            repository.put("project_id", r.project().id());
            repository.put("project_name", r.project().name());
            repository.put("project_public", r.project().isPublic());
            repository.put("repository_name", r.name());
            // TODO(#7): the pull count, once pulls are counted per repository
            repository.put("pull_count", 0);
            repository.put("artifact_count", r.artifactCount());
            return repository;
        }).toList());
        return json;
    }
}
