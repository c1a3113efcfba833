package io.wharf.web.console.repository;

import io.wharf.core.artifact.Artifact;
import io.wharf.core.artifact.ArtifactService;
import io.wharf.core.artifact.RepositoryInfo;
import io.wharf.core.artifact.RepositoryService;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.Role;
import io.wharf.core.registry.RepositoryName;
import io.wharf.web.console.Confirmation;
import io.wharf.web.console.Flash;
import io.wharf.web.console.Paging;
import io.wharf.web.console.RegistryAddress;
import io.wharf.scanner.registration.ScannerRegistration;
import io.wharf.scanner.registration.ScannerRegistrationService;
import io.wharf.scanner.report.ScanReportService;
import io.wharf.scanner.trigger.ScanService;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository's page with each artifact's scan, the deletions, scans and stops on it, and each
 * artifact's vulnerability report.
 *
 * <p>URL scheme: repository names contain slashes, so the name inside its project is the tail of the
 * path, slashes kept, matched with Spring MVC's catch-all pattern {@code {*path}}:
 * {@code GET /projects/team/repositories/app/api} is the page of {@code team/app/api}. What is below a
 * repository follows a {@code /-/} segment, which cannot be part of a repository name (every path
 * component of a name starts with a letter or digit):
 * <ul>
 *   <li>{@code GET|POST …/<name>/-/artifacts/<digest>/delete}: confirm, then delete the artifact with its tags;</li>
 *   <li>{@code GET|POST …/<name>/-/artifacts/<digest>/tags/<tag>/delete}: confirm, then delete the tag only;</li>
 *   <li>{@code POST …/<name>/-/artifacts/<digest>/scan} and {@code …/scan/stop}: queue a scan, stop it;</li>
 *   <li>{@code GET …/<name>/-/artifacts/<digest>/vulnerabilities}: the report, filtered by
 *       {@code ?severity=} (that severity or worse) and {@code ?package=} (a part of the package's name);
 *       for an index, its children with their scans, each linking to its own report.</li>
 * </ul>
 * {@link RepositoryPaths} builds these addresses. {@link RepositoryService}, {@link ArtifactService} and
 * {@link ScanService} decide who may see, delete and scan; the page only hides the buttons a viewer
 * could not use. The scan column asks {@link ScanReportService#overview} once per artifact shown (a
 * page of {@link Paging#SIZE} rows), and not at all while the project has no scanner.
 */
@Controller
class RepositoryConsoleController {

    private static final Pattern ARTIFACT_DELETE = Pattern.compile("artifacts/([^/]+)/delete");
    private static final Pattern TAG_DELETE = Pattern.compile("artifacts/([^/]+)/tags/([^/]+)/delete");
    private static final Pattern SCAN = Pattern.compile("artifacts/([^/]+)/scan");
    private static final Pattern SCAN_STOP = Pattern.compile("artifacts/([^/]+)/scan/stop");
    private static final Pattern REPORT = Pattern.compile("artifacts/([^/]+)/vulnerabilities");

    private final RepositoryService repositories;
    private final ArtifactService artifacts;
    private final ProjectService projects;
    private final AccessPolicy policy;
    private final RegistryAddress address;
    private final ScanService scans;
    private final ScanReportService reports;
    private final ScannerRegistrationService scanners;

    RepositoryConsoleController(RepositoryService repositories, ArtifactService artifacts, ProjectService projects,
                                AccessPolicy policy, RegistryAddress address, ScanService scans, ScanReportService reports,
                                ScannerRegistrationService scanners) {
        this.repositories = repositories;
        this.artifacts = artifacts;
        this.projects = projects;
        this.policy = policy;
        this.address = address;
        this.scans = scans;
        this.reports = reports;
        this.scanners = scanners;
    }

    @GetMapping("/projects/{project}/repositories/{*path}")
    String get(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable String path,
               @RequestParam(defaultValue = "1") int page, @RequestParam(required = false) @Nullable String severity,
               @RequestParam(name = "package", required = false) @Nullable String pkg, HttpServletRequest request, Model model) {
        Target target = Target.parse(project, path);
        if (target.below().isEmpty()) {
            return show(caller, target.name(), page, request, model);
        }
        Matcher report = REPORT.matcher(target.below());
        if (report.matches()) {
            return report(caller, target.name(), report.group(1), severity, pkg, model);
        }
        Matcher tag = TAG_DELETE.matcher(target.below());
        if (tag.matches()) {
            return confirmTagDelete(caller, target.name(), tag.group(1), tag.group(2), model);
        }
        Matcher artifact = ARTIFACT_DELETE.matcher(target.below());
        if (artifact.matches()) {
            return confirmArtifactDelete(caller, target.name(), artifact.group(1), model);
        }
        throw notFound();
    }

    @PostMapping("/projects/{project}/repositories/{*path}")
    String post(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable String path,
                RedirectAttributes flash) {
        Target target = Target.parse(project, path);
        String page = RepositoryPaths.of(target.name().value());
        Matcher scan = SCAN.matcher(target.below());
        if (scan.matches()) {
            scans.scan(caller, target.name(), scan.group(1));
            return Flash.notice(flash, "Scan of " + scan.group(1) + " queued.", page);
        }
        Matcher stop = SCAN_STOP.matcher(target.below());
        if (stop.matches()) {
            scans.stop(caller, target.name(), stop.group(1));
            return Flash.notice(flash, "Scan of " + stop.group(1) + " stopped.", page);
        }
        Matcher tag = TAG_DELETE.matcher(target.below());
        if (tag.matches()) {
            artifacts.deleteTag(caller, target.name(), tag.group(1), tag.group(2));
            return Flash.notice(flash, "Tag " + tag.group(2) + " deleted.", page);
        }
        Matcher artifact = ARTIFACT_DELETE.matcher(target.below());
        if (artifact.matches()) {
            artifacts.delete(caller, target.name(), artifact.group(1));
            return Flash.notice(flash, "Artifact " + artifact.group(1) + " deleted.", page);
        }
        throw notFound();
    }

    private String show(Caller caller, RepositoryName name, int page, HttpServletRequest request, Model model) {
        RepositoryInfo repository = repositories.get(caller, name);
        Project project = projects.get(caller, name.project());
        model.addAttribute("project", project);
        model.addAttribute("repository", repository);
        model.addAttribute("shortName", name.value().substring(name.project().length() + 1));
        model.addAttribute("registry", address.of(request));
        model.addAttribute("canDelete", policy.can(caller.principal(), project, Role.Capability.DELETE));
        Optional<ScannerRegistration> scanner = scanners.scannerOf(project.id());
        model.addAttribute("hasScanner", scanner.isPresent());
        model.addAttribute("canScan", scanner.filter(r -> !r.disabled()).isPresent()
            && policy.can(caller.principal(), project, Role.Capability.SCAN));
        model.addAttribute("page", artifacts.list(caller, name, null, null, true, Paging.page(page))
            .map(a -> ArtifactRow.of(a, scanner.isPresent() ? ScanCell.of(reports.overview(a)) : null)));
        return "repositories/show";
    }

    private String report(Caller caller, RepositoryName name, String digest, @Nullable String severity, @Nullable String pkg,
                          Model model) {
        Artifact artifact = artifacts.get(caller, name, digest, true);
        Project project = projects.get(caller, name.project());
        model.addAttribute("project", project);
        model.addAttribute("repositoryName", name.value());
        model.addAttribute("repositoryPath", RepositoryPaths.of(name.value()));
        model.addAttribute("shortName", name.value().substring(name.project().length() + 1));
        model.addAttribute("row", ArtifactRow.of(artifact, ScanCell.of(reports.overview(artifact))));
        if (!artifact.references().isEmpty()) {
            model.addAttribute("children", artifact.references().stream().map(child -> child(caller, name, child)).toList());
            return "repositories/report";
        }
        if (!VulnerabilityReport.offers(severity)) {
            model.addAttribute(Flash.ALERT, "There is no severity " + severity + " to filter by; showing every severity.");
        }
        VulnerabilityReport found = VulnerabilityReport.of(reports.vulnerabilities(artifact));
        model.addAttribute("report", found);
        model.addAttribute("findings", found.filter(severity, pkg));
        model.addAttribute("severity", VulnerabilityReport.offers(severity) && severity != null ? severity : "");
        model.addAttribute("pkg", pkg == null ? "" : pkg.strip());
        model.addAttribute("thresholds", VulnerabilityReport.THRESHOLDS);
        return "repositories/report";
    }

    /**
     * A child of an index as its report page lists it.
     *
     * @param platform its platform ({@code linux/arm64}), or {@code unknown}
     * @param row      its row with its scan; null when the repository lacks it
     */
    record ChildRow(String digest, String platform, @Nullable ArtifactRow row) {
    }

    private ChildRow child(Caller caller, RepositoryName name, Artifact.ArtifactReference child) {
        Artifact.Platform p = child.platform();
        String platform = p == null ? "unknown" : p.os() + "/" + p.architecture() + (p.variant() == null ? "" : "/" + p.variant());
        if (child.childId() == null) {
            return new ChildRow(child.childDigest().toString(), platform, null);
        }
        Artifact found = artifacts.get(caller, name, child.childDigest().toString(), false);
        return new ChildRow(child.childDigest().toString(), platform, ArtifactRow.of(found, ScanCell.of(reports.overview(found))));
    }

    private String confirmArtifactDelete(Caller caller, RepositoryName name, String digest, Model model) {
        Artifact artifact = artifacts.get(caller, name, digest, true);
        List<String> tags = artifact.tags().stream().map(Artifact.Tag::name).toList();
        String page = RepositoryPaths.of(name.value());
        return new Confirmation("Delete artifact " + artifact.digest() + " of " + name.value(),
            tags.isEmpty() ? "The artifact has no tags; it will be deleted from the repository."
                : "The artifact and all its tags (" + String.join(", ", tags) + ") will be deleted from the repository.",
            RepositoryPaths.artifactDelete(name.value(), artifact.digest().toString()), "Delete artifact", page).show(model);
    }

    private String confirmTagDelete(Caller caller, RepositoryName name, String digest, String tag, Model model) {
        Artifact artifact = artifacts.get(caller, name, digest, true);
        if (artifact.tags().stream().noneMatch(t -> t.name().equals(tag))) {
            throw new PlatformException(ErrorCode.NOT_FOUND, "artifact " + digest + " has no tag " + tag);
        }
        String page = RepositoryPaths.of(name.value());
        return new Confirmation("Delete tag " + tag + " of " + name.value(),
            "The tag " + name.value() + ":" + tag + " will be deleted. The artifact " + artifact.digest()
                + " stays, with its other tags.",
            RepositoryPaths.tagDelete(name.value(), artifact.digest().toString(), tag), "Delete tag", page).show(model);
    }

    private static PlatformException notFound() {
        return new PlatformException(ErrorCode.NOT_FOUND, "There is no such page.");
    }

    /**
     * What a path below {@code /projects/<project>/repositories} names.
     *
     * @param name  the repository
     * @param below what follows its {@code /-/} segment; empty for the repository's page
     */
    record Target(RepositoryName name, String below) {

        static Target parse(String project, String path) {
            String rest = path.startsWith("/") ? path.substring(1) : path;
            String below = "";
            int separator = rest.indexOf(RepositoryPaths.BELOW);
            if (separator >= 0) {
                below = rest.substring(separator + RepositoryPaths.BELOW.length());
                rest = rest.substring(0, separator);
            }
            while (rest.endsWith("/")) {
                rest = rest.substring(0, rest.length() - 1);
            }
            if (rest.isEmpty()) {
                throw notFound();
            }
            try {
                return new Target(RepositoryName.of(project + "/" + rest), below);
            } catch (PlatformException e) {
                throw notFound();
            }
        }
    }
}
