package io.wharf.web.console.project;

import io.wharf.core.iam.Role;

import java.util.List;

/** The project roles as the console names and offers them, most powerful first. */
final class Roles {

    /** The roles in the order the console's menus offer them. */
    static final List<Role> OFFERED = List.of(Role.PROJECT_ADMIN, Role.MAINTAINER, Role.DEVELOPER, Role.GUEST, Role.LIMITED_GUEST);

    private Roles() {
    }

    /** The role's name in Harbor's console. */
    static String label(Role role) {
        return switch (role) {
            case PROJECT_ADMIN -> "Project Admin";
            case MAINTAINER -> "Maintainer";
            case DEVELOPER -> "Developer";
            case GUEST -> "Guest";
            case LIMITED_GUEST -> "Limited Guest";
        };
    }
}
