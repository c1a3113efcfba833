package io.wharf.core.registry.metadata;

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
    public Optional<Long> find(String name) {
        return repositories.findByName(name).map(RepositoryEntity::id);
    }

    /** The id of repository {@code name}, created when missing (safe under concurrent callers). */
    @Transactional
    public long getOrCreate(String name) {
        repositories.insertIfAbsent(name);
        return repositories.findByName(name).orElseThrow().id();
    }

    /** The number of repositories in {@code project} (named {@code project} or {@code project/...}). */
    @Transactional(readOnly = true)
    public long countInProject(String project) {
        String escaped = project.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return repositories.countInProject(project, escaped + "/%");
    }

    /** Every repository name, sorted by code point. */
    @Transactional(readOnly = true)
    public List<String> names() {
        return repositories.findAllNames().stream().sorted().toList();
    }
}
