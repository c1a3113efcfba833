package io.wharf.web.console;

import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;

/**
 * Who is looking at a console page, as the layout needs it: the name in the header and whether the
 * administration menu is shown. Hiding a menu is only a courtesy: the services refuse what the
 * caller may not do.
 *
 * @param name      the user's name, empty when anonymous
 * @param loggedIn  whether a user is logged in
 * @param sysadmin  whether the user is a system administrator
 */
public record Viewer(String name, boolean loggedIn, boolean sysadmin) {

    /** The viewer behind {@code caller}. */
    public static Viewer of(Caller caller) {
        Principal principal = caller.principal();
        boolean user = principal.kind() == Principal.Kind.USER;
        return new Viewer(user ? principal.name() : "", user, user && principal.sysadmin());
    }
}
