package io.wharf.core.system;

import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.registry.ProjectRepositories;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Harbor's {@code /search}: projects and repositories whose names contain a text, among those the
 * caller may pull from ({@link ProjectService#list}'s rule: public projects for everyone, anonymous
 * included; memberships; a robot's grants; everything for system administrators). At most
 * {@link #LIMIT} of each are returned.
 */
@Service
public class SearchService {

    /** The most projects, and the most repositories, one search returns. */
    public static final int LIMIT = 100;

    private final ProjectService projects;
    private final ProjectRepositories repositories;

    SearchService(ProjectService projects, ProjectRepositories repositories) {
        this.projects = projects;
        this.repositories = repositories;
    }

    /** The projects and repositories visible to {@code caller} whose names contain {@code text}; empty text matches all. */
    @Transactional(readOnly = true)
    public SearchResult search(Caller caller, String text) {
        List<Project> matching = projects.list(caller, text, null, PageRequest.of(0, LIMIT)).getContent();
        Principal who = caller.principal();
        boolean everything = who.sysadmin();
        Map<String, Project> visible = projects.list(caller, null, null, Pageable.unpaged()).stream()
            .collect(Collectors.toMap(Project::name, Function.identity()));
        List<SearchResult.Repository> found = repositories.search(text, everything, visible.keySet(), LIMIT).stream()
            .filter(r -> visible.containsKey(projectOf(r.name())))
            .map(r -> new SearchResult.Repository(visible.get(projectOf(r.name())), r.name(), r.artifactCount()))
            .toList();
        return new SearchResult(matching, found);
    }

    private static String projectOf(String repository) {
        int slash = repository.indexOf('/');
        return slash < 0 ? repository : repository.substring(0, slash);
    }
}
