package io.wharf.core.registry.metadata;

import io.wharf.core.registry.RepositoryName;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;

/** Repository rows: created on first push (blob link or manifest), looked up by name. */
@Component
public class RepositoryStore {

    private final RepositoryRepository repositories;

    RepositoryStore(RepositoryRepository repositories) {
        this.repositories = repositories;
    }

    /** The id of repository {@code name}, when it exists. */
    @Transactional(readOnly = true)
    public Optional<Long> find(RepositoryName name) {
        return repositories.findByName(name.value()).map(RepositoryEntity::id);
    }

    /** The id of repository {@code name}, created when missing (safe under concurrent callers). */
    @Transactional
    public long getOrCreate(RepositoryName name) {
        repositories.insertIfAbsent(name.value());
        return repositories.findByName(name.value()).orElseThrow().id();
    }

    /** The number of repositories in {@code project} (named {@code project} or {@code project/...}). */
    @Transactional(readOnly = true)
    public long countInProject(String project) {
        String escaped = project.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return repositories.countInProject(project, escaped + "/%");
    }

    /**
     * At most {@code limit} repository names greater than {@code after}, sorted by code point (the
     * {@code name} column has collation "C" on PostgreSQL; H2 compares strings by code unit, which is
     * the same for the ASCII names the spec allows).
     *
     * @param after the empty string to start at the beginning
     */
    @Transactional(readOnly = true)
    public List<String> names(String after, int limit) {
        return repositories.findNamesAfter(after, limit);
    }
}
