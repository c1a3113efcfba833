package io.wharf.web.console.admin;

import io.wharf.core.iam.Caller;
import io.wharf.core.iam.User;
import io.wharf.core.iam.UserService;
import io.wharf.web.console.Confirmation;
import io.wharf.web.console.Flash;
import io.wharf.web.console.Paging;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * User administration ({@code /admin/users}): the list with search and paging, create a user, reset a
 * password, grant or revoke system administration, delete a user (confirmed). {@link UserService}
 * allows all of it to system administrators only; others get the 403 page.
 */
@Controller
class UserAdminConsoleController {

    private static final String USERS = "/admin/users";

    private final UserService users;

    UserAdminConsoleController(UserService users) {
        this.users = users;
    }

    @GetMapping(USERS)
    String list(@AuthenticationPrincipal Caller caller, @RequestParam(defaultValue = "") String q,
                @RequestParam(defaultValue = "1") int page, Model model) {
        model.addAttribute("q", q);
        model.addAttribute("page", users.list(caller, q.strip(), Paging.page(page)));
        return "admin/users";
    }

    @PostMapping(USERS)
    String create(@AuthenticationPrincipal Caller caller, @RequestParam String username, @RequestParam String password,
                  @RequestParam(required = false) @Nullable String email, @RequestParam(required = false) @Nullable String realname,
                  RedirectAttributes flash) {
        User user = users.create(caller, username.strip(), blankToNull(email), password, blankToNull(realname), null);
        return Flash.notice(flash, "User " + user.username() + " created.", USERS);
    }

    @GetMapping(USERS + "/{id}/password")
    String passwordForm(@AuthenticationPrincipal Caller caller, @PathVariable long id, Model model) {
        model.addAttribute("user", users.get(caller, id));
        return "admin/password";
    }

    @PostMapping(USERS + "/{id}/password")
    String resetPassword(@AuthenticationPrincipal Caller caller, @PathVariable long id, @RequestParam String password,
                         RedirectAttributes flash) {
        User user = users.get(caller, id);
        users.changePassword(caller, id, null, password);
        return Flash.notice(flash, "The password of " + user.username() + " was reset; their sessions have ended.", USERS);
    }

    @PostMapping(USERS + "/{id}/admin")
    String setAdmin(@AuthenticationPrincipal Caller caller, @PathVariable long id, @RequestParam boolean sysadmin,
                    RedirectAttributes flash) {
        User user = users.get(caller, id);
        users.setSysadmin(caller, id, sysadmin);
        return Flash.notice(flash, user.username() + (sysadmin ? " is now a system administrator." : " is no longer a system administrator."),
            USERS);
    }

    @GetMapping(USERS + "/{id}/delete")
    String confirmDelete(@AuthenticationPrincipal Caller caller, @PathVariable long id, Model model) {
        User user = users.get(caller, id);
        return new Confirmation("Delete user " + user.username(),
            user.username() + " will no longer be able to log in, and loses every project membership.",
            USERS + "/" + id + "/delete", "Delete user", USERS).show(model);
    }

    @PostMapping(USERS + "/{id}/delete")
    String delete(@AuthenticationPrincipal Caller caller, @PathVariable long id, RedirectAttributes flash) {
        User user = users.get(caller, id);
        users.delete(caller, id);
        return Flash.notice(flash, "User " + user.username() + " deleted.", USERS);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
