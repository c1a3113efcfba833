package io.wharf.api;

import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's login page as the API module's tests need it: the security chain names {@code /login}
 * as its page, and the real one (a template) lives in platform-web. A bare form with the CSRF field,
 * which is all {@code ConsoleBrowser} reads.
 */
@RestController
class LoginPageTestController {

    @GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
    String login(CsrfToken csrf) {
        return "<form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"_csrf\" value=\"" + csrf.getToken()
            + "\"><input name=\"username\"><input name=\"password\" type=\"password\"></form>";
    }
}
