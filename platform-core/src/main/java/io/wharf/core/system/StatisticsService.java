package io.wharf.core.system;

import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.registry.ProjectRepositories;
import io.wharf.core.storage.BlobStore;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;

/**
 * Harbor's {@code /statistics}: for logged-in callers only. Everyone sees every public project;
 * system administrators see every project, others the private projects {@link ProjectService#list}
 * shows them (their memberships; a robot's granted projects). Only system administrators learn the
 * storage used (the sum of the sizes of all blobs, each digest counted once).
 */
@Service
public class StatisticsService {

    private final AccessPolicy policy;
    private final ProjectService projects;
    private final ProjectRepositories repositories;
    private final BlobStore blobs;

    StatisticsService(AccessPolicy policy, ProjectService projects, ProjectRepositories repositories, BlobStore blobs) {
        this.policy = policy;
        this.projects = projects;
        this.repositories = repositories;
        this.blobs = blobs;
    }

    /**
     * The statistics {@code caller} may see.
     *
     * @throws io.wharf.core.error.PlatformException {@code UNAUTHORIZED} for anonymous callers
     */
    @Transactional(readOnly = true)
    public Statistics statistics(Caller caller) {
        policy.requireAuthenticated(caller);
        List<String> publicProjects = names(projects.list(caller, null, true, Pageable.unpaged()).getContent());
        long publicRepos = repositories.count(publicProjects);
        Principal who = caller.principal();
        if (who.sysadmin()) {
            long allProjects = projects.list(caller, null, null, Pageable.ofSize(1)).getTotalElements();
            return new Statistics(publicProjects.size(), allProjects - publicProjects.size(), publicRepos,
                repositories.countAll() - publicRepos, blobs.totalSize());
        }
        List<String> privateProjects = names(projects.list(caller, null, false, Pageable.unpaged()).getContent());
        return new Statistics(publicProjects.size(), privateProjects.size(), publicRepos, repositories.count(privateProjects), 0);
    }

    private static List<String> names(List<Project> projects) {
        return projects.stream().map(Project::name).toList();
    }
}
