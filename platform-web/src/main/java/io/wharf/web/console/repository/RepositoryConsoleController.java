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
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository's page and the deletions on it.
 *
 * <p>URL scheme: repository names contain slashes, so the name inside its project is the tail of the
 * path, slashes kept, matched with Spring MVC's catch-all pattern {@code {*path}}:
 * {@code GET /projects/team/repositories/app/api} is the page of {@code team/app/api}. What is below a
 * repository follows a {@code /-/} segment, which cannot be part of a repository name (every path
 * component of a name starts with a letter or digit):
 * <ul>
 *   <li>{@code GET|POST …/<name>/-/artifacts/<digest>/delete}: confirm, then delete the artifact with its tags;</li>
 *   <li>{@code GET|POST …/<name>/-/artifacts/<digest>/tags/<tag>/delete}: confirm, then delete the tag only.</li>
 * </ul>
 * {@link RepositoryPaths} builds these addresses. {@link RepositoryService} and {@link ArtifactService}
 * decide who may see and delete; the page only hides the delete buttons from viewers without delete
 * in the project.
 */
@Controller
class RepositoryConsoleController {

    private static final Pattern ARTIFACT_DELETE = Pattern.compile("artifacts/([^/]+)/delete");
    private static final Pattern TAG_DELETE = Pattern.compile("artifacts/([^/]+)/tags/([^/]+)/delete");

    private final RepositoryService repositories;
    private final ArtifactService artifacts;
    private final ProjectService projects;
    private final AccessPolicy policy;
    private final RegistryAddress address;

    RepositoryConsoleController(RepositoryService repositories, ArtifactService artifacts, ProjectService projects,
                                AccessPolicy policy, RegistryAddress address) {
        this.repositories = repositories;
        this.artifacts = artifacts;
        this.projects = projects;
        this.policy = policy;
        this.address = address;
    }

    @GetMapping("/projects/{project}/repositories/{*path}")
    String get(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable String path,
               @RequestParam(defaultValue = "1") int page, HttpServletRequest request, Model model) {
        Target target = Target.parse(project, path);
        if (target.below().isEmpty()) {
            return show(caller, target.name(), page, request, model);
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
        model.addAttribute("page", artifacts.list(caller, name, null, null, true, Paging.page(page)).map(ArtifactRow::of));
        return "repositories/show";
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
