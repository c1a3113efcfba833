package io.wharf.core.registry;

import io.wharf.core.registry.metadata.RepositoryStore;
import org.springframework.stereotype.Service;

/**
 * What the registry holds per project, for the project use cases in {@code iam} (a project that
 * still holds repositories cannot be deleted). It checks no access: its callers did.
 */
@Service
public class ProjectRepositories {

    private final RepositoryStore repositories;

    ProjectRepositories(RepositoryStore repositories) {
        this.repositories = repositories;
    }

    /** The number of repositories in {@code project} (named {@code project} or {@code project/...}). */
    public long count(String project) {
        return repositories.countInProject(project);
    }
}
