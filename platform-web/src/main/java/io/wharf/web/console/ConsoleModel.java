package io.wharf.web.console;

import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page's layout shows: the {@link Viewer} as {@code me}. */
@ControllerAdvice(basePackages = "io.wharf.web.console")
class ConsoleModel {

    @ModelAttribute("me")
    Viewer me(@AuthenticationPrincipal @Nullable Caller caller) {
        return Viewer.of(caller == null ? Caller.of(Principal.ANONYMOUS, null) : caller);
    }
}
