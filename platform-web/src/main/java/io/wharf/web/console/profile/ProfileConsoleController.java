package io.wharf.web.console.profile;

import io.wharf.core.iam.Caller;
import io.wharf.core.iam.User;
import io.wharf.core.iam.UserService;
import io.wharf.web.console.Flash;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The user's own account ({@code /profile}) and the change of their password, which needs the old
 * one. A new password ends every session of the account (the session checks the account's version),
 * so the user logs in again with it.
 */
@Controller
class ProfileConsoleController {

    private final UserService users;

    ProfileConsoleController(UserService users) {
        this.users = users;
    }

    @GetMapping("/profile")
    String profile(@AuthenticationPrincipal Caller caller, Model model) {
        model.addAttribute("user", users.current(caller));
        return "profile/index";
    }

    @PostMapping("/profile/password")
    String changePassword(@AuthenticationPrincipal Caller caller, @RequestParam String oldPassword,
                          @RequestParam String newPassword, @RequestParam String confirmPassword, RedirectAttributes flash) {
        if (!newPassword.equals(confirmPassword)) {
            return Flash.alert(flash, "The new password and its confirmation differ.", "/profile");
        }
        User user = users.current(caller);
        users.changePassword(caller, user.id(), oldPassword, newPassword);
        return "redirect:/login?changed";
    }
}
