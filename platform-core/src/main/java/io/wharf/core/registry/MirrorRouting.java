package io.wharf.core.registry;

import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.metadata.RepositoryStore;
import org.springframework.stereotype.Component;

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

    private final MirrorProperties properties;
    private final RepositoryStore repositories;

    MirrorRouting(MirrorProperties properties, RepositoryStore repositories) {
        this.properties = properties;
        this.repositories = repositories;
    }

    /** Whether the mirror is on. */
    public boolean enabled() {
        return properties.project() != null && !properties.project().isBlank();
    }

    /** Where a pull of {@code name} is served from, when the mirror takes it; empty when Wharf holds it (or no mirror). */
    public Optional<RepositoryName> mirrored(RepositoryName name) {
        if (!enabled() || name.project().equals(properties.project()) || repositories.find(name).isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RepositoryName.of(properties.project() + "/" + name.value()));
        } catch (PlatformException tooLong) {
            return Optional.empty();
        }
    }
}
