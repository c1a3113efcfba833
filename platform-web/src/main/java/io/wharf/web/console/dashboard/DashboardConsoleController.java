package io.wharf.web.console.dashboard;

import io.wharf.core.audit.AuditService;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.web.console.Paging;
import io.wharf.web.console.Viewer;
import io.wharf.web.console.project.ProjectRow;
import org.springframework.data.domain.Page;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The dashboard ({@code GET /}): how many projects the user sees and how many repositories they
 * hold, the first projects by name with their repository counts, and for system administrators the
 * newest audit events. Storage and push/pull statistics are not collected yet; the page keeps a
 * place for them.
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

    DashboardConsoleController(ProjectService projects, AuditService audit) {
        this.projects = projects;
        this.audit = audit;
    }

    @GetMapping("/")
    String dashboard(@AuthenticationPrincipal Caller caller, Model model) {
        Page<ProjectRow> first = ProjectRow.of(projects.list(caller, null, null, Paging.page(1, SHOWN)), projects);
        model.addAttribute("projects", first.getContent());
        model.addAttribute("projectCount", first.getTotalElements());
        model.addAttribute("repositoryCount", first.hasNext() ? repositories(caller)
            : first.stream().mapToLong(ProjectRow::repositories).sum());
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
}
