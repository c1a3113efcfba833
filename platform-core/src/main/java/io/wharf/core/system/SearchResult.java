package io.wharf.core.system;

import io.wharf.core.iam.Project;

import java.util.List;

/**
 * What {@code /search} found: projects whose name contains the text, and repositories whose name
 * contains it, among those the caller may see.
 *
 * @param projects     matching projects, by name
 * @param repositories matching repositories, by name
 */
public record SearchResult(List<Project> projects, List<Repository> repositories) {

    /**
     * A matching repository.
     *
     * @param project       its project
     * @param name          its full name ({@code project/app})
     * @param artifactCount the number of its manifests
     */
    public record Repository(Project project, String name, long artifactCount) {
    }
}
