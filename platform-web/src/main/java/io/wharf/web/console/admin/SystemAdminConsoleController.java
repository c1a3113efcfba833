package io.wharf.web.console.admin;

import io.wharf.core.audit.AuditService;
import io.wharf.core.iam.Caller;
import io.wharf.core.system.InstallationService;
import io.wharf.web.console.Paging;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The system's pages for system administrators: the audit log, newest first, in pages
 * ({@code /admin/audit}), and the installation's description ({@code /admin/system}). The services
 * refuse everyone else, who get the 403 page.
 */
@Controller
class SystemAdminConsoleController {

    /** Audit entries per page. */
    private static final int AUDIT_PAGE = 50;

    private final AuditService audit;
    private final InstallationService system;

    SystemAdminConsoleController(AuditService audit, InstallationService system) {
        this.audit = audit;
        this.system = system;
    }

    @GetMapping("/admin/audit")
    String audit(@AuthenticationPrincipal Caller caller, @RequestParam(defaultValue = "1") int page, Model model) {
        model.addAttribute("page", audit.search(caller, io.wharf.core.audit.AuditQuery.ALL, Paging.page(page, AUDIT_PAGE)));
        return "admin/audit";
    }

    @GetMapping("/admin/system")
    String system(@AuthenticationPrincipal Caller caller, Model model) {
        model.addAttribute("info", system.info(caller));
        return "admin/system";
    }
}
