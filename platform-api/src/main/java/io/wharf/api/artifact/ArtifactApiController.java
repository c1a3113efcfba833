package io.wharf.api.artifact;

import io.wharf.api.iam.ApiPage;
import io.wharf.core.artifact.Artifact;
import io.wharf.core.artifact.ArtifactService;
import io.wharf.core.iam.Caller;
import io.wharf.core.registry.digest.Digest;
import io.wharf.scanner.report.ScanReportService;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;

/**
 * {@code /api/v2.0/projects/{project}/repositories/{repository}/artifacts}: list, read, copy and
 * delete artifacts, and list, create and delete their tags.
 *
 * <p>Labels and tag immutability do not exist in Wharf yet, so their parameters are placeholders:
 * {@code with_label=true} gives an empty {@code labels} list (Harbor's shape for an artifact without
 * labels), {@code with_immutable_status} is accepted and ignored since every tag's {@code immutable}
 * is false, and the other {@code with_*} flags Wharf has nothing for ({@code with_signature},
 * {@code with_accessory}) are accepted and ignored. {@code with_scan_overview=true} adds Harbor's
 * {@code scan_overview} by report type (absent for an artifact never scanned); a flag that is not a
 * boolean is a 400. Harbor's {@code q=labels=(id ...)} is refused with a 400 naming the supported
 * keys, rather than answered with an empty list as if labels were searched.
 */
@RestController
@RequestMapping("/api/v2.0/projects/{project}/repositories/{repository}/artifacts")
class ArtifactApiController {

    private final ArtifactService artifacts;
    private final ScanReportService reports;

    ArtifactApiController(ArtifactService artifacts, ScanReportService reports) {
        this.artifacts = artifacts;
        this.reports = reports;
    }

    @GetMapping
    ResponseEntity<List<ArtifactJson.ArtifactResponse>> list(
        @AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable String repository,
        @RequestParam(required = false) @Nullable String q, @RequestParam(required = false) @Nullable String sort,
        @RequestParam(required = false) @Nullable Integer page,
        @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
        @RequestParam(name = "with_tag", defaultValue = "true") boolean withTag,
        @RequestParam(name = "with_label", defaultValue = "false") boolean withLabel,
        @RequestParam(name = "with_scan_overview", defaultValue = "false") boolean withScanOverview,
        @RequestParam(name = "with_sbom_overview", defaultValue = "false") boolean withSbomOverview, HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        var found = artifacts.list(caller, RepositoryPath.name(project, repository), q, sort, withTag, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, found))
            .body(found.map(a -> ArtifactJson.ArtifactResponse.of(a, withTag, withLabel,
                withScanOverview ? reports.overview(a) : null, withSbomOverview ? reports.sbomOverview(a) : null)).getContent());
    }

    @PostMapping
    ResponseEntity<Void> copy(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                              @PathVariable String repository, @RequestParam String from, HttpServletRequest request) {
        Digest digest = artifacts.copy(caller, RepositoryPath.name(project, repository), from);
        return ResponseEntity.created(URI.create(request.getRequestURI() + "/" + digest)).build();
    }

    @GetMapping("/{reference}")
    ArtifactJson.ArtifactResponse get(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                                      @PathVariable String repository, @PathVariable String reference,
                                      @RequestParam(name = "with_tag", defaultValue = "true") boolean withTag,
                                      @RequestParam(name = "with_label", defaultValue = "false") boolean withLabel,
                                      @RequestParam(name = "with_scan_overview", defaultValue = "false") boolean withScanOverview,
                                      @RequestParam(name = "with_sbom_overview", defaultValue = "false") boolean withSbomOverview) {
        Artifact artifact = artifacts.get(caller, RepositoryPath.name(project, repository), reference, withTag);
        return ArtifactJson.ArtifactResponse.of(artifact, withTag, withLabel, withScanOverview ? reports.overview(artifact) : null,
            withSbomOverview ? reports.sbomOverview(artifact) : null);
    }

    @DeleteMapping("/{reference}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                                @PathVariable String repository, @PathVariable String reference) {
        artifacts.delete(caller, RepositoryPath.name(project, repository), reference);
        return ResponseEntity.ok().build();
    }

    @GetMapping("/{reference}/tags")
    ResponseEntity<List<ArtifactJson.TagResponse>> tags(
        @AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable String repository,
        @PathVariable String reference, @RequestParam(required = false) @Nullable String q,
        @RequestParam(required = false) @Nullable String sort, @RequestParam(required = false) @Nullable Integer page,
        @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize, HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        var found = artifacts.tags(caller, RepositoryPath.name(project, repository), reference, q, sort, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, found)).body(found.map(ArtifactJson.TagResponse::of).getContent());
    }

    @PostMapping("/{reference}/tags")
    ResponseEntity<Void> createTag(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                                   @PathVariable String repository, @PathVariable String reference,
                                   @RequestBody ArtifactJson.TagRequest body, HttpServletRequest request) {
        Artifact.Tag tag = artifacts.createTag(caller, RepositoryPath.name(project, repository), reference, body.name());
        return ResponseEntity.created(URI.create(request.getRequestURI() + "/" + tag.name())).build();
    }

    @DeleteMapping("/{reference}/tags/{tag}")
    ResponseEntity<Void> deleteTag(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                                   @PathVariable String repository, @PathVariable String reference, @PathVariable String tag) {
        artifacts.deleteTag(caller, RepositoryPath.name(project, repository), reference, tag);
        return ResponseEntity.ok().build();
    }
}
