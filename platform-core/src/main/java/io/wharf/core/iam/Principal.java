package io.wharf.core.iam;

import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.Set;

/**
 * Who is calling: anonymous, a user, or a robot. Decisions about what the caller may do are the
 * {@link AccessPolicy}'s.
 *
 * @param userId           the user's id, for users
 * @param robotPermissions for robots, project name ({@code *} for all) to repository actions; for
 *                         scanners, the one repository name to {@code pull}
 */
public record Principal(Kind kind, String name, @Nullable Long userId, boolean sysadmin,
                        Map<String, Set<String>> robotPermissions) {

    /** The kinds of caller. */
    public enum Kind {
        ANONYMOUS, USER, ROBOT,
        /** Wharf itself, acting for a background job (replication): every permission, no account. */
        SYSTEM,
        /** A scanner adapter with a scan credential: pulls one repository, nothing else. */
        SCANNER
    }

    public static final Principal ANONYMOUS = new Principal(Kind.ANONYMOUS, "", null, false, Map.of());

    public static Principal user(User user) {
        return new Principal(Kind.USER, user.username(), user.id(), user.sysadmin(), Map.of());
    }

    public static Principal robot(Robot robot) {
        return new Principal(Kind.ROBOT, robot.name(), null, false, robot.permissions());
    }

    /**
     * Wharf itself acting for a background job named {@code name} (e.g. {@code replication}); it may
     * do everything, and its reads are not client pulls (no pull counts or pull times move).
     */
    public static Principal system(String name) {
        return new Principal(Kind.SYSTEM, name, null, true, Map.of());
    }

    /** A scanner adapter pulling {@code repository} with the scan credential {@code name}. */
    public static Principal scanner(String name, io.wharf.core.registry.RepositoryName repository) {
        return new Principal(Kind.SCANNER, name, null, false, Map.of(repository.value(), Set.of("pull")));
    }

    public boolean isSystem() {
        return kind == Kind.SYSTEM;
    }

    /** A scanner adapter's scan credential: its reads are not client pulls either. */
    public boolean isScanner() {
        return kind == Kind.SCANNER;
    }

    public boolean isAnonymous() {
        return kind == Kind.ANONYMOUS;
    }
}
