package io.wharf.web.console.repository;

import io.wharf.core.registry.RepositoryName;
import org.springframework.web.util.UriUtils;

import java.nio.charset.StandardCharsets;

/**
 * The console's addresses of repositories and what is in them. A repository's page is
 * {@code /projects/<project>/repositories/<name in the project>}, its slashes kept
 * ({@code /projects/team/repositories/app/api} for {@code team/app/api}); what is below it follows a
 * {@code /-/} segment, which no repository name can contain (a path component starts with a letter or
 * digit): {@code …/app/api/-/artifacts/<digest>/delete},
 * {@code …/app/api/-/artifacts/<digest>/tags/<tag>/delete}, {@code …/-/artifacts/<digest>/scan},
 * {@code …/-/artifacts/<digest>/scan/stop} and {@code …/-/artifacts/<digest>/vulnerabilities}.
 */
public final class RepositoryPaths {

    /** The segment between a repository's name and what is below it. */
    static final String BELOW = "/-/";

    private RepositoryPaths() {
    }

    /** The address of the page of {@code repository} (a full name, project first). */
    public static String of(String repository) {
        RepositoryName name = new RepositoryName(repository);
        String project = name.project();
        StringBuilder path = new StringBuilder("/projects/").append(segment(project)).append("/repositories");
        for (String component : repository.substring(project.length() + 1).split("/")) {
            path.append('/').append(segment(component));
        }
        return path.toString();
    }

    /** The address of the deletion of the artifact {@code digest} of {@code repository}. */
    static String artifactDelete(String repository, String digest) {
        return artifact(repository, digest) + "/delete";
    }

    /** The address of the deletion of tag {@code tag} of the artifact {@code digest} of {@code repository}. */
    static String tagDelete(String repository, String digest, String tag) {
        return artifact(repository, digest) + "/tags/" + segment(tag) + "/delete";
    }

    /** The address that scans the artifact {@code digest} of {@code repository} (a POST). */
    static String scan(String repository, String digest) {
        return artifact(repository, digest) + "/scan";
    }

    /** The address that stops the scan of the artifact {@code digest} of {@code repository} (a POST). */
    static String stopScan(String repository, String digest) {
        return artifact(repository, digest) + "/scan/stop";
    }

    /** The address of the vulnerability report of the artifact {@code digest} of {@code repository}. */
    public static String report(String repository, String digest) {
        return artifact(repository, digest) + "/vulnerabilities";
    }

    private static String artifact(String repository, String digest) {
        return of(repository) + BELOW + "artifacts/" + segment(digest);
    }

    private static String segment(String value) {
        return UriUtils.encodePathSegment(value, StandardCharsets.UTF_8);
    }
}
