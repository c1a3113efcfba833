package io.wharf.web.console.project;

import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import org.springframework.data.domain.Page;

/**
 * A project as the console lists it: with the number of repositories it holds.
 *
 * @param project      the project
 * @param repositories how many repositories it holds
 */
public record ProjectRow(Project project, long repositories) {

    /** The rows of a page of projects, counted through {@code projects}. */
    public static Page<ProjectRow> of(Page<Project> page, ProjectService projects) {
        return page.map(project -> new ProjectRow(project, projects.repositoryCount(project)));
    }
}
