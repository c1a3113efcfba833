package io.wharf.core.registry.metadata;

import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;

/**
 * Pull statistics: the pull counts of repositories and manifests, the repository's update time, the
 * last pull time of manifests and tags. Every write is an increment or a forward-only move of a time,
 * in SQL, so any number of nodes may record pulls of the same repository at once without losing any.
 */
@Component
public class PullStore {

    private final RepositoryRepository repositories;
    private final ManifestRepository manifests;
    private final TagRepository tags;

    PullStore(RepositoryRepository repositories, ManifestRepository manifests, TagRepository tags) {
        this.repositories = repositories;
        this.manifests = manifests;
        this.tags = tags;
    }

    /**
     * Records {@code count} pulls of manifest {@code digest} of the repository, the last at {@code at};
     * by {@code tag} when not null. Repositories, manifests or tags deleted meanwhile are skipped.
     */
    @Transactional
    public void record(RepositoryName repository, Digest digest, @Nullable String tag, long count, OffsetDateTime at) {
        repositories.addPulls(repository.value(), count, at);
        manifests.recordPull(repository.value(), digest.toString(), count, at);
        if (tag != null) {
            tags.recordPull(repository.value(), tag, at);
        }
    }
}
