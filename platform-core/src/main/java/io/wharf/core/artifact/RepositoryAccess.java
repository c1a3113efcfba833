package io.wharf.core.artifact;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.Role;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.metadata.RepositoryStore;
import org.springframework.stereotype.Component;

/**
 * The access checks of the repository and artifact use cases, in Harbor's order: the project must
 * exist (404), the caller must hold the capability in it (401 when anonymous, 403 otherwise, from
 * {@link AccessPolicy}), then the repository must exist (404).
 */
@Component
class RepositoryAccess {

    /** A repository the caller was allowed to act on. */
    record Target(Project project, RepositoryName name, long repositoryId) {
    }

    private final ProjectService projects;
    private final AccessPolicy policy;
    private final RepositoryStore repositories;

    RepositoryAccess(ProjectService projects, AccessPolicy policy, RepositoryStore repositories) {
        this.projects = projects;
        this.policy = policy;
        this.repositories = repositories;
    }

    Project project(Caller caller, String project, Role.Capability capability) {
        Project p = projects.get(project);
        policy.require(caller, p, capability);
        return p;
    }

    Target repository(Caller caller, RepositoryName name, Role.Capability capability) {
        Project project = project(caller, name.project(), capability);
        long id = repositories.find(name)
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "repository " + name + " not found"));
        return new Target(project, name, id);
    }
}
