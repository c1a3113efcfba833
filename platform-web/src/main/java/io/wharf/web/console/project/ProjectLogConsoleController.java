package io.wharf.web.console.project;

import io.wharf.core.TextMatch;
import io.wharf.core.audit.AuditQuery;
import io.wharf.core.audit.AuditService;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.ProjectService;
import io.wharf.web.console.Paging;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.List;

/**
 * A project's audit log ({@code GET /projects/{name}/logs}): what was done to the project, its
 * members, robots and artifacts, newest first, in pages, narrowed to one operation
 * ({@code ?operation=push}) and to users whose name contains a text ({@code ?username=}).
 * {@link AuditService#projectLog} decides who may read it, as for the API's
 * {@code /projects/{name}/logs}; everyone else gets the 403 page.
 */
@Controller
class ProjectLogConsoleController {

    /** The operations a project's log holds, offered as filters. */
    static final List<String> OPERATIONS = List.of("create", "update", "delete", "push", "pull");
    /** Entries per page. */
    private static final int PAGE = 50;
    private final AuditService audit;
    private final ProjectService projects;

    ProjectLogConsoleController(AuditService audit, ProjectService projects) {
        this.audit = audit;
        this.projects = projects;
    }

    @GetMapping("/projects/{name}/logs")
    String logs(@AuthenticationPrincipal Caller caller, @PathVariable String name, @RequestParam(defaultValue = "") String operation,
                @RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "1") int page, Model model) {
        // the operation is chosen from a list; the user name matches by containment
        AuditQuery query = new AuditQuery(operation.isBlank() ? TextMatch.ANY : TextMatch.exactly(operation.strip()),
            TextMatch.ANY, TextMatch.ANY, username.isBlank() ? TextMatch.ANY : TextMatch.containing(username.strip()),
            null, null, false);
        model.addAttribute("page", audit.projectLog(caller, name, query, Paging.page(page, PAGE)));
        model.addAttribute("project", projects.get(caller, name));
        model.addAttribute("operation", operation.strip());
        model.addAttribute("username", username.strip());
        model.addAttribute("operations", OPERATIONS);
        return "projects/logs";
    }
}
