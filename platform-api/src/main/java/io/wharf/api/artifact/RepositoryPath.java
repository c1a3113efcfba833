package io.wharf.api.artifact;

import io.wharf.core.registry.RepositoryName;
import org.springframework.web.util.UriUtils;

import java.nio.charset.StandardCharsets;

/**
 * The repository of a Harbor path, {@code /projects/{project}/repositories/{repository}}: the
 * repository part is the name without the project, with each {@code /} URL-encoded twice by the
 * client ({@code team/app/api} arrives as {@code app%252Fapi}). Spring decodes path variables once;
 * this decodes the second time.
 */
final class RepositoryPath {

    private RepositoryPath() {
    }

    /** The full repository name; {@code NAME_INVALID} when it is not a valid one. */
    static RepositoryName name(String project, String repository) {
        return RepositoryName.of(project + "/" + UriUtils.decode(repository, StandardCharsets.UTF_8));
    }
}
