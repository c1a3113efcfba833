package io.wharf.api.artifact;

import io.wharf.api.iam.ApiPage;
import io.wharf.core.artifact.RepositoryInfo;
import io.wharf.core.artifact.RepositoryService;
import io.wharf.core.iam.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * {@code /api/v2.0/repositories} and {@code /api/v2.0/projects/{project}/repositories[/{repository}]}:
 * list, read, describe and delete repositories (names with {@code /} double URL-encoded, see {@link RepositoryPath}).
 */
@RestController
class RepositoryApiController {

    private static final String ONE = "/api/v2.0/projects/{project}/repositories/{repository}";

    private final RepositoryService repositories;

    RepositoryApiController(RepositoryService repositories) {
        this.repositories = repositories;
    }

    @GetMapping("/api/v2.0/repositories")
    ResponseEntity<List<ArtifactJson.RepositoryResponse>> listAll(
        @AuthenticationPrincipal Caller caller, @RequestParam(required = false) @Nullable String q,
        @RequestParam(required = false) @Nullable String sort, @RequestParam(required = false) @Nullable Integer page,
        @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize, HttpServletRequest request) {
        return list(caller, null, q, sort, ApiPage.of(page, pageSize), request);
    }

    @GetMapping("/api/v2.0/projects/{project}/repositories")
    ResponseEntity<List<ArtifactJson.RepositoryResponse>> listInProject(
        @AuthenticationPrincipal Caller caller, @PathVariable String project, @RequestParam(required = false) @Nullable String q,
        @RequestParam(required = false) @Nullable String sort, @RequestParam(required = false) @Nullable Integer page,
        @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize, HttpServletRequest request) {
        return list(caller, project, q, sort, ApiPage.of(page, pageSize), request);
    }

    @GetMapping(ONE)
    ArtifactJson.RepositoryResponse get(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                                        @PathVariable String repository) {
        return ArtifactJson.RepositoryResponse.of(repositories.get(caller, RepositoryPath.name(project, repository)));
    }

    @PutMapping(ONE)
    ResponseEntity<Void> update(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                                @PathVariable String repository, @RequestBody ArtifactJson.RepositoryUpdate body) {
        repositories.updateDescription(caller, RepositoryPath.name(project, repository), body.description());
        return ResponseEntity.ok().build();
    }

    @DeleteMapping(ONE)
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                                @PathVariable String repository) {
        repositories.delete(caller, RepositoryPath.name(project, repository));
        return ResponseEntity.ok().build();
    }

    private ResponseEntity<List<ArtifactJson.RepositoryResponse>> list(Caller caller, @Nullable String project, @Nullable String q,
                                                                       @Nullable String sort, ApiPage paging,
                                                                       HttpServletRequest request) {
        Page<RepositoryInfo> found = repositories.list(caller, project, q, sort, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, found))
            .body(found.map(ArtifactJson.RepositoryResponse::of).getContent());
    }
}
