package io.wharf.web.console;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.ModelAndView;

/**
 * The console's error page ({@code templates/error.html}): a status, a title people understand and
 * what happened, never a stack trace or an exception's name.
 */
public final class ErrorPage {

    private ErrorPage() {
    }

    /** The page for {@code status} with {@code message} (null for the status's usual words). */
    public static ModelAndView of(int status, @Nullable String message) {
        ModelAndView page = new ModelAndView("error", HttpStatus.valueOf(status));
        page.addObject("status", status);
        page.addObject("heading", heading(status));
        page.addObject("message", message == null ? explanation(status) : message);
        // exception handlers' pages do not get the controllers' model: the layout's viewer comes from here
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        page.addObject("me", Viewer.of(authentication != null && authentication.getPrincipal() instanceof Caller caller
            ? caller : Caller.of(Principal.ANONYMOUS, null)));
        return page;
    }

    /** The status the console answers a core error with: the code's, except a 401 (the session ended) is a 403. */
    static int status(ErrorCode code, int status) {
        return code == ErrorCode.UNAUTHORIZED ? 403 : status;
    }

    private static String heading(int status) {
        return switch (status) {
            case 400 -> "That did not work";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 405 -> "Not possible here";
            case 409 -> "Already there";
            case 412 -> "Not possible yet";
            default -> status >= 500 ? "Something went wrong" : "That did not work";
        };
    }

    private static String explanation(int status) {
        return switch (status) {
            case 403 -> "You do not have permission to see this page or to do this.";
            case 404 -> "There is no such page, or it is not visible to you.";
            case 405 -> "This address does not take that kind of request.";
            default -> status >= 500 ? "Wharf could not finish this request. The administrators can find the details in the log."
                : "The request could not be completed.";
        };
    }
}
