package io.wharf.core.registry;

import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.metadata.LinkedBlobStore;
import io.wharf.core.registry.metadata.RepositoryStore;
import org.springframework.stereotype.Service;

import java.util.Collection;
import java.util.List;

/**
 * What the registry holds per project, for the project use cases in {@code iam} (a project that
 * still holds repositories cannot be deleted) and for the system use cases (statistics, search). It
 * checks no access: its callers did.
 */
@Service
public class ProjectRepositories {

    private final RepositoryStore repositories;
    private final LinkedBlobStore links;

    ProjectRepositories(RepositoryStore repositories, LinkedBlobStore links) {
        this.repositories = repositories;
        this.links = links;
    }

    /** The number of repositories in {@code project} (named {@code project} or {@code project/...}). */
    public long count(String project) {
        return repositories.countInProject(project);
    }

    /** The number of repositories in any of {@code projects}; 0 for none. */
    public long count(Collection<String> projects) {
        return repositories.countInProjects(projects);
    }

    /** The number of repositories in the registry. */
    public long countAll() {
        return repositories.countAll();
    }

    /**
     * The bytes each project holds (blobs linked to its repositories and its manifests, each digest
     * once per project), the largest first, at most {@code limit}; of every project when
     * {@code everything}, else of {@code projects}. Projects holding nothing are left out.
     */
    public List<RepositoryStore.ProjectStorage> storageByProject(boolean everything, Collection<String> projects, int limit) {
        return repositories.storageByProject(everything, projects, limit);
    }

    /** The bytes the projects hold together, each digest counted once: every project's when {@code everything}. */
    public long storage(boolean everything, Collection<String> projects) {
        return repositories.storage(everything, projects);
    }

    /**
     * Whether {@code project} holds {@code digest}: a repository of it links the blob or has it as a
     * manifest (what storage usage counts once per project).
     */
    public boolean holds(String project, Digest digest) {
        return links.heldInProject(project, digest);
    }

    /**
     * At most {@code limit} repositories whose name contains {@code fragment}, by name: in every
     * project when {@code everything}, else only in {@code projects}.
     */
    public List<RepositoryStore.RepositorySummary> search(String fragment, boolean everything, Collection<String> projects,
                                                          int limit) {
        return repositories.search(fragment, everything, projects, limit);
    }
}
