package io.wharf.web.console.project;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Robot;
import io.wharf.core.iam.RobotService;
import io.wharf.web.console.Confirmation;
import io.wharf.web.console.Flash;
import io.wharf.web.console.RegistryAddress;
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

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A project's robot accounts, on the project's page: create one with its actions and lifetime, delete
 * one (confirmed). The new robot's secret is shown once, on the page that answers the creation, and
 * is kept nowhere (not in the session either): the secret cannot be shown again. Project Admins and
 * system administrators only ({@link RobotService}).
 */
@Controller
class RobotConsoleController {

    private final RobotService robots;
    private final RegistryAddress address;

    RobotConsoleController(RobotService robots, RegistryAddress address) {
        this.robots = robots;
        this.address = address;
    }

    @PostMapping("/projects/{name}/robots")
    String create(@AuthenticationPrincipal Caller caller, @PathVariable String name, @RequestParam String robot,
                  @RequestParam(required = false) @Nullable String description,
                  @RequestParam(name = "actions", required = false) @Nullable List<String> actions,
                  @RequestParam(defaultValue = "30") int duration, HttpServletRequest request, Model model) {
        RobotService.Created created = robots.create(caller, robot.strip(), description == null || description.isBlank() ? null
            : description.strip(), "project", Map.of(name, new LinkedHashSet<>(actions == null ? List.of() : actions)), duration, false);
        model.addAttribute("robot", RobotRow.of(created.robot(), name));
        model.addAttribute("secret", created.secret());
        model.addAttribute("project", name);
        model.addAttribute("registry", address.of(request));
        return "projects/robot-created";
    }

    @GetMapping("/projects/{name}/robots/{id}/delete")
    String confirmDelete(@AuthenticationPrincipal Caller caller, @PathVariable String name, @PathVariable long id, Model model) {
        Robot robot = robot(caller, name, id);
        String project = ProjectConsoleController.path(name);
        return new Confirmation("Delete robot " + robot.name(),
            "Clients that log in as " + robot.name() + " will be refused from now on.",
            project + "/robots/" + id + "/delete", "Delete robot", project).show(model);
    }

    @PostMapping("/projects/{name}/robots/{id}/delete")
    String delete(@AuthenticationPrincipal Caller caller, @PathVariable String name, @PathVariable long id,
                  RedirectAttributes flash) {
        Robot robot = robot(caller, name, id);
        robots.delete(caller, id);
        return Flash.notice(flash, "Robot " + robot.name() + " deleted.", ProjectConsoleController.path(name));
    }

    /** The robot {@code id} when it belongs to the project named in the address; the page's "not found" otherwise. */
    private Robot robot(Caller caller, String project, long id) {
        Robot robot = robots.get(caller, id);
        if (!robot.permissions().containsKey(project) || robot.projectId() == null) {
            throw new PlatformException(ErrorCode.NOT_FOUND, "robot " + id + " not found");
        }
        return robot;
    }
}
