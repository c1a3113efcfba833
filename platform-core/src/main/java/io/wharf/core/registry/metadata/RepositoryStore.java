package io.wharf.core.registry.metadata;

import io.wharf.core.TextMatch;
import io.wharf.core.registry.RepositoryName;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;

import java.time.OffsetDateTime;
import java.util.Collection;
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
        Optional<RepositoryEntity> existing = repositories.findByName(name.value());
        if (existing.isPresent()) {
            return existing.get().id();
        }
        repositories.insertIfAbsent(name.value(), name.project());
        return repositories.findByName(name.value()).orElseThrow().id();
    }

    /** The number of repositories in {@code project} (named {@code project} or {@code project/...}). */
    @Transactional(readOnly = true)
    public long countInProject(String project) {
        return repositories.countInProject(project);
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

    /**
     * One page of repositories with their counts, in the order {@code pageable} asks for (properties
     * of {@link RepositoryRow}: {@code name}, {@code createdAt}, {@code updatedAt}).
     *
     * @param projects only repositories of these projects; null for every project
     * @param names    what the full names must match
     */
    @Transactional(readOnly = true)
    public Page<RepositoryRow> page(@Nullable Collection<String> projects, TextMatch names, Pageable pageable) {
        // never an empty IN list; no project is named ""
        Collection<String> in = projects == null || projects.isEmpty() ? List.of("") : projects;
        return repositories.findRows(projects == null, in, names.pattern(), names.anyValue(), names.values(), pageable);
    }

    /** Repository {@code name} with its counts, when it exists. */
    @Transactional(readOnly = true)
    public Optional<RepositoryRow> row(RepositoryName name) {
        return repositories.findRow(name.value());
    }

    /** Sets the description (null clears it) and the update time; returns whether the repository exists. */
    @Transactional
    public boolean describe(RepositoryName name, @Nullable String description, OffsetDateTime at) {
        Optional<RepositoryEntity> repository = repositories.findByName(name.value());
        repository.ifPresent(r -> r.describe(description, at));
        return repository.isPresent();
    }

    /** Deletes the repository with its blob links, manifests and tags (the database cascades). */
    @Transactional
    public void delete(long id) {
        repositories.deleteRow(id);
    }

    /** The number of repositories in any of {@code projects} (by the first segment of their names). */
    @Transactional(readOnly = true)
    public long countInProjects(Collection<String> projects) {
        return projects.isEmpty() ? 0 : repositories.countInProjects(projects);
    }

    /** The number of repositories in the registry. */
    @Transactional(readOnly = true)
    public long countAll() {
        return repositories.count();
    }

    /**
     * At most {@code limit} repositories whose name contains {@code fragment}, by name, in any project
     * when {@code everything} or else in one of {@code projects}; each with its number of manifests.
     */
    @Transactional(readOnly = true)
    public List<RepositorySummary> search(String fragment, boolean everything, Collection<String> projects, int limit) {
        if (!everything && projects.isEmpty()) {
            return List.of();
        }
        String pattern = io.wharf.core.LikePatterns.containing(fragment);
        return repositories.search(pattern, everything, in(projects), PageRequest.of(0, limit)).stream()
            .map(row -> new RepositorySummary((String) row[0], ((Number) row[1]).longValue())).toList();
    }

    /**
     * The bytes each project holds, the largest first, at most {@code limit} projects: of every project
     * when {@code everything}, else of {@code projects}. A project holds the blobs linked to its
     * repositories and its manifests, each digest counted once in the project (a layer shared by two
     * repositories of a project counts once). Projects holding nothing are left out.
     */
    @Transactional(readOnly = true)
    public List<ProjectStorage> storageByProject(boolean everything, Collection<String> projects, int limit) {
        if (!everything && projects.isEmpty()) {
            return List.of();
        }
        return repositories.storageByProject(everything, in(projects), limit).stream()
            .map(row -> new ProjectStorage((String) row[0], ((Number) row[1]).longValue())).toList();
    }

    /** The bytes the projects ({@link #storageByProject}'s) hold together, each digest counted once; 0 for none. */
    @Transactional(readOnly = true)
    public long storage(boolean everything, Collection<String> projects) {
        return !everything && projects.isEmpty() ? 0 : repositories.storage(everything, in(projects));
    }

    /** Never an empty IN list; no project is named "". */
    private static Collection<String> in(Collection<String> projects) {
        return projects.isEmpty() ? List.of("") : projects;
    }

    /** The bytes a project holds. */
    public record ProjectStorage(String project, long bytes) {
    }

    /** A repository's name and its number of manifests (artifacts, index children included). */
    public record RepositorySummary(String name, long artifactCount) {
    }
}
