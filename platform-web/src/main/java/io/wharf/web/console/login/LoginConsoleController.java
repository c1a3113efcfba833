package io.wharf.web.console.login;

import io.wharf.core.iam.Caller;
import io.wharf.web.console.Viewer;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The login page ({@code GET /login}); Spring Security handles its form's POST, the failure
 * ({@code ?error}) and the logout ({@code ?logout}). Robots cannot log in here. A logged-in user is
 * sent to the dashboard.
 */
@Controller
class LoginConsoleController {

    @GetMapping("/login")
    String login(@AuthenticationPrincipal Caller caller) {
        return Viewer.of(caller).loggedIn() ? "redirect:/" : "login";
    }
}
