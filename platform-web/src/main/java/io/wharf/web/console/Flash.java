package io.wharf.web.console;

import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The one-line messages a page shows after a redirect (post, redirect, get): a notice when an action
 * worked, an alert when it did not. The layout renders both.
 */
public final class Flash {

    /** The model attribute of a success message. */
    public static final String NOTICE = "notice";
    /** The model attribute of a failure message. */
    public static final String ALERT = "alert";

    private Flash() {
    }

    /** Tells the next page that the action worked; returns {@code redirect} for the handler to return. */
    public static String notice(RedirectAttributes attributes, String message, String redirect) {
        attributes.addFlashAttribute(NOTICE, message);
        return "redirect:" + redirect;
    }

    /** Tells the next page that the action failed; returns {@code redirect} for the handler to return. */
    public static String alert(RedirectAttributes attributes, String message, String redirect) {
        attributes.addFlashAttribute(ALERT, message);
        return "redirect:" + redirect;
    }
}
