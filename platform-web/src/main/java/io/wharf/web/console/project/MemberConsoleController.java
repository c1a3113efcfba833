package io.wharf.web.console.project;

import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Member;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.Role;
import io.wharf.web.console.Confirmation;
import io.wharf.web.console.Flash;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A project's members, on the project's page: add a user by name with a role, change a member's
 * role, remove a member (confirmed). {@link ProjectService} allows it to Project Admins and system
 * administrators only.
 */
@Controller
class MemberConsoleController {

    private final ProjectService projects;

    MemberConsoleController(ProjectService projects) {
        this.projects = projects;
    }

    @PostMapping("/projects/{name}/members")
    String add(@AuthenticationPrincipal Caller caller, @PathVariable String name, @RequestParam String username,
               @RequestParam int roleId, RedirectAttributes flash) {
        Member member = projects.addMember(caller, name, null, username.strip(), Role.of(roleId));
        return Flash.notice(flash, member.username() + " added as " + Roles.label(member.role()) + ".",
            ProjectConsoleController.path(name));
    }

    @PostMapping("/projects/{name}/members/{id}/role")
    String changeRole(@AuthenticationPrincipal Caller caller, @PathVariable String name, @PathVariable long id,
                      @RequestParam int roleId, RedirectAttributes flash) {
        Member member = projects.updateMember(caller, name, id, Role.of(roleId));
        return Flash.notice(flash, member.username() + " is now " + Roles.label(member.role()) + ".",
            ProjectConsoleController.path(name));
    }

    @GetMapping("/projects/{name}/members/{id}/delete")
    String confirmRemove(@AuthenticationPrincipal Caller caller, @PathVariable String name, @PathVariable long id, Model model) {
        Member member = projects.member(caller, name, id);
        String project = ProjectConsoleController.path(name);
        return new Confirmation("Remove " + member.username() + " from " + name,
            member.username() + " (" + Roles.label(member.role()) + ") will lose access to the project's private repositories.",
            project + "/members/" + id + "/delete", "Remove member", project).show(model);
    }

    @PostMapping("/projects/{name}/members/{id}/delete")
    String remove(@AuthenticationPrincipal Caller caller, @PathVariable String name, @PathVariable long id,
                  RedirectAttributes flash) {
        Member member = projects.member(caller, name, id);
        projects.removeMember(caller, name, id);
        return Flash.notice(flash, member.username() + " removed from the project.", ProjectConsoleController.path(name));
    }
}
