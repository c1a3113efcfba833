package io.wharf.core.iam;

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

    /** The repository actions the principal may take on {@code repository}; empty for an invalid name. */
    @Transactional(readOnly = true)
    public Set<String> repositoryActions(Principal principal, String repository) {
        RepositoryName name;
        try {
            name = RepositoryName.of(repository);
        } catch (RuntimeException e) {
            return Set.of();
        }
        return projects.find(name.project()).map(p -> projectActions(principal, p)).orElse(Set.of());
    }

    /** Whether the principal may pull from (and so list) {@code repository}. */
    public boolean mayPull(Principal principal, String repository) {
        return repositoryActions(principal, repository).contains(PULL);
    }

    /** The repository actions the principal may take in {@code project}. */
    @Transactional(readOnly = true)
    public Set<String> projectActions(Principal principal, Project project) {
        Set<String> actions = new LinkedHashSet<>();
        if (project.isPublic()) {
            actions.add(PULL);
        }
        switch (principal.kind()) {
            case USER -> {
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
            case ANONYMOUS -> {
            }
        }
        return actions;
    }

    /** Whether the principal has {@code capability} in {@code project}. Robots only ever pull, push and delete. */
    @Transactional(readOnly = true)
    public boolean can(Principal principal, Project project, Role.Capability capability) {
        return switch (principal.kind()) {
            case USER -> principal.sysadmin() || role(principal, project).map(r -> r.allows(capability)).orElse(false)
                || (capability == Role.Capability.PULL && project.isPublic());
            case ROBOT -> switch (capability) {
                case PULL -> projectActions(principal, project).contains(PULL);
                case PUSH -> projectActions(principal, project).contains(PUSH);
                case DELETE -> projectActions(principal, project).contains(DELETE);
                default -> false;
            };
            case ANONYMOUS -> capability == Role.Capability.PULL && project.isPublic();
        };
    }

    /** The principal's role in the project, for users that are members. */
    public Optional<Role> role(Principal principal, Project project) {
        return principal.userId() == null ? Optional.empty() : projects.role(project.id(), principal.userId());
    }
}
