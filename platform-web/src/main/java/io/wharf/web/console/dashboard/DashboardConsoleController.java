package io.wharf.web.console.dashboard;

import io.wharf.core.audit.AuditService;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.system.Activity;
import io.wharf.core.system.StatisticsService;
import io.wharf.web.console.Paging;
import io.wharf.web.console.Sizes;
import io.wharf.web.console.Viewer;
import io.wharf.web.console.project.ProjectRow;
import io.wharf.web.console.repository.RepositoryPaths;
import org.springframework.data.domain.Page;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The dashboard ({@code GET /}): how many projects the user sees, how many repositories they hold and
 * the storage they use, the first projects by name with their repository counts, the newest pushes,
 * charts of the storage by project and of pushes and pulls per day ({@link StatisticsService#activity},
 * which decides what the user may see), and for system administrators the newest audit events.
 */
@Controller
class DashboardConsoleController {

    /** Projects listed on the dashboard; the projects page has them all. */
    private static final int SHOWN = 8;
    /** Audit events listed on the dashboard; the audit page has them all. */
    private static final int EVENTS = 10;
    /** Projects counted per query when summing repositories. */
    private static final int BATCH = 100;

    private final ProjectService projects;
    private final AuditService audit;
    private final StatisticsService statistics;

    DashboardConsoleController(ProjectService projects, AuditService audit, StatisticsService statistics) {
        this.projects = projects;
        this.audit = audit;
        this.statistics = statistics;
    }

    @GetMapping("/")
    String dashboard(@AuthenticationPrincipal Caller caller, Model model) {
        Page<ProjectRow> first = ProjectRow.of(projects.list(caller, null, null, Paging.page(1, SHOWN)), projects);
        model.addAttribute("projects", first.getContent());
        model.addAttribute("projectCount", first.getTotalElements());
        model.addAttribute("repositoryCount", first.hasNext() ? repositories(caller)
            : first.stream().mapToLong(ProjectRow::repositories).sum());
        Activity activity = statistics.activity(caller);
        model.addAttribute("storageUsed", activity.storageUsed());
        model.addAttribute("storageUsedText", Sizes.human(activity.storageUsed()));
        model.addAttribute("storageChart", Charts.storage(activity.storageByProject()));
        model.addAttribute("activityChart", Charts.activity(activity.days()));
        model.addAttribute("pushes", activity.recentPushes().stream()
            .map(push -> new PushRow(push, RepositoryPaths.of(push.repository()))).toList());
        if (Viewer.of(caller).sysadmin()) {
            model.addAttribute("events", audit.search(caller, io.wharf.core.audit.AuditQuery.ALL, Paging.page(1, EVENTS)).getContent());
        }
        return "dashboard/index";
    }

    /** The repositories in every project the caller sees, counted in batches of projects. */
    private long repositories(Caller caller) {
        long total = 0;
        Page<Project> batch;
        int page = 1;
        do {
            batch = projects.list(caller, null, null, Paging.page(page++, BATCH));
            total += batch.stream().mapToLong(projects::repositoryCount).sum();
        } while (batch.hasNext());
        return total;
    }

    /**
     * A push as the dashboard lists it.
     *
     * @param push the push
     * @param path the address of its repository's page
     */
    record PushRow(Activity.Push push, String path) {

        /** The reference as a pull names it: {@code :<tag>}, or {@code @<digest>} cut to its first 12 hex digits. */
        public String shownReference() {
            String reference = push.reference();
            int colon = reference.indexOf(':');
            if (colon < 0) {
                return ":" + reference;
            }
            return "@" + reference.substring(0, Math.min(reference.length(), colon + 13));
        }
    }
}
