package io.wharf.core.iam;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.RepositoryName;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what a {@link Principal} may do: the repository actions ({@code pull}, {@code push},
 * {@code delete}) on a repository, and the {@link Role.Capability capabilities} in a project.
 *
 * <ul>
 *   <li>System administrators may do everything in every project.</li>
 *   <li>Users may do what their {@link Role} in the project allows.</li>
 *   <li>Robots may do what their permissions list for the project (or {@code *}).</li>
 *   <li>Anyone, anonymous included, may pull and list in a public project.</li>
 *   <li>A scanner with a scan credential may pull its one repository, nothing else: no other
 *       repository, even a public one, no push, no project capability.</li>
 *   <li>Nobody may do anything in a project that does not exist: pushing never creates a project.</li>
 * </ul>
 */
@Service
public class AccessPolicy {

    public static final String PULL = "pull";
    public static final String PUSH = "push";
    public static final String DELETE = "delete";

    private final ProjectService projects;

    AccessPolicy(ProjectService projects) {
        this.projects = projects;
    }

    /** The repository actions the principal may take on {@code repository}. */
    @Transactional(readOnly = true)
    public Set<String> repositoryActions(Principal principal, RepositoryName repository) {
        if (principal.kind() == Principal.Kind.SCANNER) {
            return projects.find(repository.project()).isPresent()
                ? Set.copyOf(principal.robotPermissions().getOrDefault(repository.value(), Set.of())) : Set.of();
        }
        return projects.find(repository.project()).map(p -> projectActions(principal, p)).orElse(Set.of());
    }

    /**
     * The repository actions granted to the caller on {@code repository}: with a registry token, what
     * the token grants ({@code *} standing for all), otherwise what the caller's identity may do.
     * Decided once per caller and repository.
     */
    public Set<String> repositoryActions(Caller caller, RepositoryName repository) {
        return caller.decided(repository.value(), r -> {
            if (caller.token() != null) {
                Set<String> granted = caller.token().actions("repository", r);
                return granted.contains("*") ? Set.of(PULL, PUSH, DELETE) : Set.copyOf(granted);
            }
            return Set.copyOf(repositoryActions(caller.principal(), repository));
        });
    }

    /**
     * Requires the caller to be granted {@code action} on {@code repository}.
     *
     * @throws PlatformException {@link ErrorCode#DENIED}
     */
    public void require(Caller caller, RepositoryName repository, String action) {
        if (!repositoryActions(caller, repository).contains(action)) {
            throw new PlatformException(ErrorCode.DENIED, "access to " + repository + " (" + action + ") is not granted");
        }
    }

    /**
     * Whether the caller's identity (not its token) may pull from, and so see, {@code repository}:
     * for the catalog and for mounts without {@code from}, whose sources a client cannot have asked
     * a token for.
     */
    public boolean maySee(Caller caller, RepositoryName repository) {
        // decided once per project and call: a catalog asks for every repository
        return caller.decided("identity:" + repository.project(), p -> Set.copyOf(repositoryActions(caller.principal(), repository)))
            .contains(PULL);
    }

    // ---- the API's checks ---------------------------------------------------------------------

    /** @throws PlatformException {@link ErrorCode#UNAUTHORIZED} for anonymous callers */
    public void requireAuthenticated(Caller caller) {
        if (caller.principal().isAnonymous()) {
            throw new PlatformException(ErrorCode.UNAUTHORIZED, "authentication required");
        }
    }

    /** Requires a logged-in user; robots get {@link ErrorCode#DENIED}. */
    public void requireUser(Caller caller) {
        requireAuthenticated(caller);
        if (caller.principal().kind() == Principal.Kind.ROBOT || caller.principal().kind() == Principal.Kind.SCANNER) {
            throw new PlatformException(ErrorCode.DENIED, "robot accounts cannot do this");
        }
    }

    /** Requires a system administrator. */
    public void requireSysadmin(Caller caller) {
        requireAuthenticated(caller);
        if (!caller.principal().sysadmin()) {
            throw new PlatformException(ErrorCode.DENIED, "only system administrators can do this");
        }
    }

    /** Requires {@code capability} in {@code project}: 401 for anonymous callers, 403 for others. */
    public void require(Caller caller, Project project, Role.Capability capability) {
        if (!can(caller.principal(), project, capability)) {
            requireAuthenticated(caller);
            throw new PlatformException(ErrorCode.DENIED, "not allowed in project " + project.name());
        }
    }

    /** The repository actions the principal may take in {@code project}. */
    @Transactional(readOnly = true)
    public Set<String> projectActions(Principal principal, Project project) {
        if (principal.kind() == Principal.Kind.SCANNER) {
            return Set.of(); // a scanner's one repository is decided by repositoryActions
        }
        Set<String> actions = new LinkedHashSet<>();
        if (project.isPublic()) {
            actions.add(PULL);
        }
        switch (principal.kind()) {
            case USER, SYSTEM -> {
                if (principal.sysadmin()) {
                    actions.addAll(Set.of(PULL, PUSH, DELETE));
                } else {
                    role(principal, project).ifPresent(role -> {
                        if (role.allows(Role.Capability.PULL)) {
                            actions.add(PULL);
                        }
                        if (role.allows(Role.Capability.PUSH)) {
                            actions.add(PUSH);
                        }
                        if (role.allows(Role.Capability.DELETE)) {
                            actions.add(DELETE);
                        }
                    });
                }
            }
            case ROBOT -> {
                actions.addAll(principal.robotPermissions().getOrDefault(project.name(), Set.of()));
                actions.addAll(principal.robotPermissions().getOrDefault("*", Set.of()));
            }
            case ANONYMOUS, SCANNER -> {
            }
        }
        if (project.isProxyCache() && !principal.isSystem()) {
            actions.retainAll(Set.of(PULL)); // filled from its upstream only: clients pull
        }
        return actions;
    }

    /** Whether the principal has {@code capability} in {@code project}. Robots only ever pull, push and delete. */
    @Transactional(readOnly = true)
    public boolean can(Principal principal, Project project, Role.Capability capability) {
        if (project.isProxyCache() && !principal.isSystem()
            && (capability == Role.Capability.PUSH || capability == Role.Capability.DELETE)) {
            return false; // a proxy-cache project is filled from its upstream only
        }
        return switch (principal.kind()) {
            case USER, SYSTEM -> principal.sysadmin() || role(principal, project).map(r -> r.allows(capability)).orElse(false)
                || (capability == Role.Capability.PULL && project.isPublic());
            case ROBOT -> switch (capability) {
                case PULL -> projectActions(principal, project).contains(PULL);
                case PUSH -> projectActions(principal, project).contains(PUSH);
                case DELETE -> projectActions(principal, project).contains(DELETE);
                default -> false;
            };
            case ANONYMOUS -> capability == Role.Capability.PULL && project.isPublic();
            case SCANNER -> false;
        };
    }

    /** The principal's role in the project, for users that are members. */
    public Optional<Role> role(Principal principal, Project project) {
        return principal.userId() == null ? Optional.empty() : projects.role(project.id(), principal.userId());
    }
}
