package io.wharf.core.registry;

import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.metadata.RepositoryStore;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * The transparent mirror's one rule (docs/proxy.md): with {@code wharf.mirror.project} set, a pull of
 * a repository Wharf does not hold (the Docker daemon's {@code registry-mirrors} sends
 * {@code /v2/library/nginx/...}, without any project) is served from that proxy-cache project as
 * {@code <project>/library/nginx}. Local repositories always win, and only pulls fall through:
 * the {@code /v2} routing and the token service ask this for reads only.
 */
@Component
public class MirrorRouting {

    private static final List<String> DOCKER_HUB_HOSTS = List.of("docker.io", "index.docker.io", "registry-1.docker.io");

    private final MirrorProperties properties;
    private final RepositoryStore repositories;
    private final ObjectProvider<ProjectService> projects;

    MirrorRouting(MirrorProperties properties, RepositoryStore repositories, ObjectProvider<ProjectService> projects) {
        this.properties = properties;
        this.repositories = repositories;
        this.projects = projects;
    }

    /** Whether the mirror is on. */
    public boolean enabled() {
        return properties.project() != null && !properties.project().isBlank();
    }

    /**
     * Whether the token endpoint answers Basic credentials it cannot validate as it answers an
     * anonymous client, for a request whose every scope is a pull of {@code names}: true when
     * {@code wharf.mirror.foreign-credentials} is {@code anonymous} and each name is served from a
     * proxy-cache project (directly, or through the mirror). A client that sends its Docker Hub login
     * to a mirror then pulls as anyone may, instead of being refused and going to Docker Hub.
     */
    public boolean toleratesForeignCredentials(List<RepositoryName> names, boolean mirrorPort) {
        return properties.foreignCredentials() == MirrorProperties.ForeignCredentials.ANONYMOUS && !names.isEmpty()
            && names.stream().allMatch(name -> isProxyProject(mirrored(name, mirrorPort).orElse(name).project()));
    }

    /** Whether {@code localPort} (the port a request came in on) is the mirror's own ({@code wharf.mirror.port}). */
    public boolean isMirrorPort(int localPort) {
        return enabled() && properties.port() != null && properties.port() == localPort;
    }

    /**
     * Where a pull of {@code name} is served from: on the mirror's own port always the mirror project
     * (every name there is the mirror's), elsewhere as {@link #mirrored(RepositoryName)}.
     */
    public Optional<RepositoryName> mirrored(RepositoryName name, boolean mirrorPort) {
        if (!mirrorPort) {
            return mirrored(name);
        }
        return enabled() ? inMirrorProject(name) : Optional.empty();
    }

    /**
     * Where a pull of {@code name} is served from, when the mirror takes it; empty when Wharf holds it,
     * when it names a proxy-cache project (the mirror's or another: that project fetches it from its own
     * upstream, even before it holds it), or when there is no mirror.
     */
    public Optional<RepositoryName> mirrored(RepositoryName name) {
        if (!enabled() || name.project().equals(properties.project()) || repositories.find(name).isPresent()
            || isProxyProject(name.project())) {
            return Optional.empty();
        }
        return inMirrorProject(name);
    }

    private Optional<RepositoryName> inMirrorProject(RepositoryName name) {
        try {
            return Optional.of(RepositoryName.of(properties.project() + "/" + withoutDockerHubHost(name.value())));
        } catch (PlatformException tooLong) {
            return Optional.empty();
        }
    }

    /**
     * {@code docker.io/library/nginx} is {@code library/nginx}: some mirrors put the registry's host in
     * the path (UPSTREAMS.md §2.3), and users copy such references.
     */
    private static String withoutDockerHubHost(String name) {
        for (String host : DOCKER_HUB_HOSTS) {
            if (name.startsWith(host + "/") && name.length() > host.length() + 1) {
                return name.substring(host.length() + 1);
            }
        }
        return name;
    }

    /**
     * Whether {@code project} is a proxy-cache project: {@code /<project>/v2/...} is then read as
     * {@code /v2/<project>/...}, the shape of a client whose mirror URL has the project as its path
     * (Docker with the containerd store puts a mirror's path before {@code /v2}).
     */
    public boolean isProxyProject(String project) {
        return projects.getObject().find(project).filter(Project::isProxyCache).isPresent();
    }
}
