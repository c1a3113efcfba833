package io.wharf.web.console.project;

import io.wharf.core.artifact.RepositoryInfo;
import io.wharf.core.artifact.RepositoryService;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.CveAllowlistService;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Member;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.ProjectSettingsService;
import io.wharf.core.iam.Robot;
import io.wharf.core.iam.RobotService;
import io.wharf.core.iam.Role;
import io.wharf.core.quota.QuotaService;
import io.wharf.web.console.AllowlistForm;
import io.wharf.web.console.Confirmation;
import io.wharf.web.console.Flash;
import io.wharf.web.console.Paging;
import io.wharf.web.console.RegistryAddress;
import io.wharf.web.console.Sizes;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.replication.endpoint.RegistryEndpoint;
import io.wharf.replication.endpoint.RegistryEndpointService;
import io.wharf.web.console.repository.RepositoryPaths;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The projects: the list with search and paging ({@code GET /projects}), creating one (system
 * administrators may make it a proxy cache of a registry endpoint), a project's page with its
 * repositories (paged, {@code ?page=}), a proxy-cache project's upstream and statistics, settings,
 * members and robots and a link to its audit log ({@code GET /projects/{name}}), its storage used and
 * limit (which system administrators change there), changing whether it is public, its vulnerability
 * settings (scan on push, the pull policy and its CVE allowlist, saved in one transaction by
 * {@link ProjectSettingsService#update(Caller, String, Boolean, Map, ProjectSettingsService.AllowlistUpdate)}),
 * and deleting it (confirmed). {@link ProjectService} decides who may do what; the page only hides the
 * controls a viewer could not use.
 */
@Controller
class ProjectConsoleController {

    /** Members and robots shown on a project's page; registry endpoints offered as upstreams. */
    static final int LISTED = 100;

    /** The pull policy's thresholds, worst first, as the form offers them. */
    private static final List<String> SEVERITIES = java.util.stream.IntStream.range(0, ProjectSettingsService.SEVERITIES.size())
        .mapToObj(i -> ProjectSettingsService.SEVERITIES.get(ProjectSettingsService.SEVERITIES.size() - 1 - i)).toList();

    private final ProjectService projects;
    private final ProjectSettingsService settings;
    private final RegistryEndpointService endpoints;
    private final RobotService robots;
    private final RepositoryService repositories;
    private final AccessPolicy policy;
    private final RegistryAddress address;
    private final QuotaService quotas;
    private final CveAllowlistService allowlists;
    private final Clock clock;

    ProjectConsoleController(ProjectService projects, ProjectSettingsService settings, RegistryEndpointService endpoints,
                             RobotService robots, RepositoryService repositories, AccessPolicy policy, RegistryAddress address,
                             QuotaService quotas, CveAllowlistService allowlists, Clock clock) {
        this.quotas = quotas;
        this.allowlists = allowlists;
        this.clock = clock;
        this.projects = projects;
        this.settings = settings;
        this.endpoints = endpoints;
        this.repositories = repositories;
        this.robots = robots;
        this.policy = policy;
        this.address = address;
    }

    @GetMapping("/projects")
    String list(@AuthenticationPrincipal Caller caller, @RequestParam(defaultValue = "") String q,
                @RequestParam(defaultValue = "1") int page, Model model) {
        model.addAttribute("q", q);
        model.addAttribute("page", ProjectRow.of(projects.list(caller, q.strip(), null, Paging.page(page)), projects));
        // only system administrators may bind a project to an upstream, and only they may list endpoints
        List<RegistryEndpoint> upstreams = caller.principal().sysadmin()
            ? endpoints.list(caller, null, "name", Paging.page(1, LISTED)).getContent() : List.of();
        model.addAttribute("upstreams", upstreams);
        return "projects/list";
    }

    @PostMapping("/projects")
    String create(@AuthenticationPrincipal Caller caller, @RequestParam String name,
                  @RequestParam(name = "public", defaultValue = "false") boolean isPublic,
                  @RequestParam(name = "registryId", required = false) @Nullable Long registryId, RedirectAttributes flash) {
        Project project = projects.create(caller, name.strip(), isPublic, registryId);
        return Flash.notice(flash, (project.isProxyCache() ? "Proxy-cache project " : "Project ") + project.name() + " created.",
            path(project.name()));
    }

    @GetMapping("/projects/{name}")
    String show(@AuthenticationPrincipal Caller caller, @PathVariable String name, @RequestParam(defaultValue = "1") int page,
                HttpServletRequest request, Model model) {
        Project project = projects.get(caller, name);
        boolean manage = policy.can(caller.principal(), project, Role.Capability.MANAGE);
        boolean readMembers = policy.can(caller.principal(), project, Role.Capability.READ_MEMBERS);
        model.addAttribute("project", project);
        model.addAttribute("repositoryCount", projects.repositoryCount(project));
        model.addAttribute("proxyCache", settings.proxyCache(caller, name).map(ProxyCachePanel::of).orElse(null));
        model.addAttribute("quota", quotas.ofProject(caller, name).map(QuotaPanel::of).orElse(null));
        model.addAttribute("repositories", repositories.list(caller, project.name(), null, null, Paging.page(page))
            .map(repository -> new RepositoryRow(repository, RepositoryPaths.of(repository.name()),
                repository.name().substring(project.name().length() + 1))));
        model.addAttribute("registry", address.of(request));
        model.addAttribute("role", projects.role(caller, project).map(Roles::label).orElse(null));
        model.addAttribute("manage", manage);
        model.addAttribute("readMembers", readMembers);
        model.addAttribute("readLogs", policy.can(caller.principal(), project, Role.Capability.READ_LOGS));
        model.addAttribute("immutableRules", policy.can(caller.principal(), project, Role.Capability.IMMUTABLE_RULES));
        model.addAttribute("retention", policy.can(caller.principal(), project, Role.Capability.RETENTION));
        if (policy.can(caller.principal(), project, Role.Capability.READ_SETTINGS)) {
            model.addAttribute("vulnerability", VulnerabilityPanel.of(settings.metadata(caller, project.name()),
                AllowlistForm.of(allowlists.ofProject(project), clock.instant()),
                AllowlistForm.of(allowlists.system(caller), clock.instant())));
            model.addAttribute("severities", SEVERITIES);
        }
        if (readMembers) {
            Page<Member> members = projects.members(caller, project.name(), null, Paging.page(1, LISTED));
            model.addAttribute("members", members.map(member -> new MemberRow(member, Roles.label(member.role()))));
            Page<Robot> robotPage = robots.list(caller, project.name(), Paging.page(1, LISTED));
            model.addAttribute("robots", robotPage.map(robot -> RobotRow.of(robot, project.name())));
        }
        model.addAttribute("roles", Roles.OFFERED.stream().map(role -> new RoleOption(role.id(), Roles.label(role), role)).toList());
        return "projects/show";
    }

    @PostMapping("/projects/{name}/settings")
    String settings(@AuthenticationPrincipal Caller caller, @PathVariable String name,
                    @RequestParam(name = "public", defaultValue = "false") boolean isPublic, RedirectAttributes flash) {
        Project project = projects.update(caller, name, isPublic);
        return Flash.notice(flash, "Project " + project.name() + " is now " + (project.isPublic() ? "public" : "private") + ".",
            path(project.name()));
    }

    /**
     * Sets the project's storage limit (system administrators): {@code limit} in {@code unit}
     * ({@code B}, {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}); empty or -1 for no limit.
     */
    @PostMapping("/projects/{name}/quota")
    String quota(@AuthenticationPrincipal Caller caller, @PathVariable String name, @RequestParam(defaultValue = "") String limit,
                 @RequestParam(defaultValue = "GiB") String unit, RedirectAttributes flash) {
        long id = quotas.ofProject(caller, name).orElseThrow(() -> new PlatformException(ErrorCode.DENIED,
            "only system administrators can change a project's storage limit")).id();
        long hard = quotas.update(caller, id, bytes(limit.strip(), unit)).hard();
        return Flash.notice(flash, "The storage limit of " + name + " is now " + (hard < 0 ? "none" : Sizes.human(hard)) + ".",
            path(name));
    }

    /** The form's limit in bytes; -1 for none. */
    private static long bytes(String limit, String unit) {
        if (limit.isEmpty() || limit.equals("-1")) {
            return -1;
        }
        int power = List.of("B", "KiB", "MiB", "GiB", "TiB").indexOf(unit);
        try {
            BigDecimal value = new BigDecimal(limit).multiply(BigDecimal.valueOf(1L << (10 * Math.max(power, 0))));
            if (power < 0 || value.signum() <= 0) {
                throw new NumberFormatException();
            }
            return value.setScale(0, RoundingMode.CEILING).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "the storage limit must be a positive number of B, KiB, MiB, GiB or TiB,"
                + " or empty for no limit, not " + limit + " " + unit);
        }
    }

    /**
     * Saves the vulnerability settings: scan on push, the pull policy, and the allowlist the policy
     * uses (the system's, or the project's own, whose ids and expiry are saved either way).
     */
    @PostMapping("/projects/{name}/vulnerability")
    String vulnerability(@AuthenticationPrincipal Caller caller, @PathVariable String name,
                         @RequestParam(name = "auto_scan", defaultValue = "false") boolean autoScan,
                         @RequestParam(name = "prevent_vul", defaultValue = "false") boolean preventVul,
                         @RequestParam(defaultValue = "low") String severity, @RequestParam(defaultValue = "system") String allowlist,
                         @RequestParam(name = "cve_ids", defaultValue = "") String cveIds,
                         @RequestParam(defaultValue = "") String expires, RedirectAttributes flash) {
        if (!List.of("system", "project").contains(allowlist)) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "Choose the system's allowlist or the project's own.");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(ProjectSettingsService.AUTO_SCAN, String.valueOf(autoScan));
        metadata.put(ProjectSettingsService.PREVENT_VUL, String.valueOf(preventVul));
        metadata.put(ProjectSettingsService.SEVERITY, severity);
        metadata.put(ProjectSettingsService.REUSE_SYS_CVE_ALLOWLIST, String.valueOf(allowlist.equals("system")));
        Project project = settings.update(caller, name, null, metadata,
            new ProjectSettingsService.AllowlistUpdate(AllowlistForm.ids(cveIds), AllowlistForm.expiresAt(expires)));
        return Flash.notice(flash, "Vulnerability settings of " + project.name() + " saved.", path(project.name()) + "#vulnerability");
    }

    @GetMapping("/projects/{name}/delete")
    String confirmDelete(@AuthenticationPrincipal Caller caller, @PathVariable String name, Model model) {
        Project project = projects.get(caller, name);
        return new Confirmation("Delete project " + project.name(),
            "The project, its members and its robot accounts will be deleted. A project that still holds repositories cannot be deleted.",
            path(project.name()) + "/delete", "Delete project", path(project.name())).show(model);
    }

    @PostMapping("/projects/{name}/delete")
    String delete(@AuthenticationPrincipal Caller caller, @PathVariable String name, RedirectAttributes flash) {
        projects.delete(caller, name);
        return Flash.notice(flash, "Project " + name + " deleted.", "/projects");
    }

    /** The address of the project's page. */
    static String path(String project) {
        return "/projects/" + UriUtils.encodePathSegment(project, StandardCharsets.UTF_8);
    }

    /**
     * A role as the console's menus offer it.
     *
     * @param id    Harbor's {@code role_id}, the form's value
     * @param label the role's name
     * @param role  the role
     */
    record RoleOption(int id, String label, Role role) {
    }

    /**
     * A repository as the project's page lists it.
     *
     * @param repository the repository with its counts
     * @param path       the address of its page
     * @param shortName  its name inside the project
     */
    record RepositoryRow(RepositoryInfo repository, String path, String shortName) {
    }

    /**
     * A member as the project's page lists it.
     *
     * @param member the membership
     * @param role   the member's role, named
     */
    record MemberRow(Member member, String role) {
    }
}
