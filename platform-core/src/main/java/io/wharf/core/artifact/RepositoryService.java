package io.wharf.core.artifact;

import io.wharf.core.HarborQuery;
import io.wharf.core.TextMatch;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.Role;
import io.wharf.core.registry.RegistryService;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.metadata.RepositoryRow;
import io.wharf.core.registry.metadata.RepositoryStore;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Repositories as Harbor's API manages them: listings with artifact and pull counts, the
 * description, deletion. Reading needs pull in the project, changing the description push (Harbor's
 * Developer and up), deleting delete (Maintainer and up); the deletion itself is the registry's
 * ({@link RegistryService#deleteRepository}), so it behaves as on {@code /v2}.
 */
@Service
public class RepositoryService {

    private static final Map<String, String> SORT_KEYS = Map.of("name", "name", "creation_time", "createdAt",
        "update_time", "updatedAt");
    /** Harbor's default (its repository model's): the newest repository first, then by id, so pages never overlap. */
    private static final Sort DEFAULT_SORT = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));

    private final RepositoryAccess access;
    private final RepositoryStore repositories;
    private final ProjectService projects;
    private final RegistryService registry;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    RepositoryService(RepositoryAccess access, RepositoryStore repositories, ProjectService projects, RegistryService registry,
                      ApplicationEventPublisher events, Clock clock) {
        this.access = access;
        this.repositories = repositories;
        this.projects = projects;
        this.registry = registry;
        this.events = events;
        this.clock = clock;
    }

    /**
     * One page of repositories, counted and cut by the database: those of {@code project} (the caller
     * needs pull in it), or with {@code project} null those of every project the caller may pull from.
     *
     * @param q    Harbor's query over {@code name} (the full name) in any of its text forms ({@code name=v},
     *             {@code name=~v}, {@code name={v1 v2}}, {@code name=(v1 v2)}, see {@link HarborQuery}); null for all
     * @param sort Harbor's sort over {@code name}, {@code creation_time}, {@code update_time}; null: newest first
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown project, {@link ErrorCode#UNAUTHORIZED} or
     *         {@link ErrorCode#DENIED} without pull in it, {@link ErrorCode#INVALID_ARGUMENT} for bad {@code q} or {@code sort}
     */
    @Transactional(readOnly = true)
    public Page<RepositoryInfo> list(Caller caller, @Nullable String project, @Nullable String q, @Nullable String sort,
                                     Pageable pageable) {
        TextMatch names = HarborQuery.parse(q, Set.of("name")).match("name");
        Pageable sorted = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(),
            HarborQuery.sort(sort, SORT_KEYS, DEFAULT_SORT));
        Map<String, Long> projectIds = new HashMap<>();
        List<String> scope;
        if (project != null) {
            Project p = access.project(caller, project, Role.Capability.PULL);
            projectIds.put(p.name(), p.id());
            scope = List.of(p.name());
        } else if (sysadmin(caller)) {
            scope = null;
        } else {
            projects.list(caller, null, null, Pageable.unpaged()).forEach(p -> projectIds.put(p.name(), p.id()));
            scope = List.copyOf(projectIds.keySet());
        }
        return repositories.page(scope, names, sorted).map(row -> {
            RepositoryName name = new RepositoryName(row.name());
            long projectId = projectIds.computeIfAbsent(name.project(), n -> projects.find(n).map(Project::id).orElse(0L));
            return info(projectId, row);
        });
    }

    /**
     * The repository, for callers with pull in its project.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED}
     */
    @Transactional(readOnly = true)
    public RepositoryInfo get(Caller caller, RepositoryName name) {
        RepositoryAccess.Target target = access.repository(caller, name, Role.Capability.PULL);
        return info(target.project().id(), row(name));
    }

    /**
     * The repository, for Wharf's own use (no caller, no access check; webhooks describe it); empty when
     * it does not exist. Throws nothing for a missing repository, so it may run inside a transaction
     * that must not be marked for rollback.
     */
    @Transactional(readOnly = true)
    public Optional<RepositoryInfo> find(RepositoryName name) {
        return projects.find(name.project()).flatMap(project -> repositories.row(name).map(row -> info(project.id(), row)));
    }

    /**
     * Sets the description (null or empty clears it); needs push in the project, as Harbor's
     * repository update. Publishes {@link RepositoryUpdated}.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED}
     */
    @Transactional
    public RepositoryInfo updateDescription(Caller caller, RepositoryName name, @Nullable String description) {
        RepositoryAccess.Target target = access.repository(caller, name, Role.Capability.PUSH);
        repositories.describe(name, description == null || description.isEmpty() ? null : description,
            OffsetDateTime.now(clock));
        events.publishEvent(new RepositoryUpdated(caller.name(), caller.remoteAddr(), clock.instant(), name));
        return info(target.project().id(), row(name));
    }

    /**
     * Deletes the repository with its artifacts and tags through {@link RegistryService#deleteRepository}
     * (which publishes the events); needs delete in the project.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED},
     *         {@link ErrorCode#UNSUPPORTED} when deletes are disabled
     */
    @Transactional
    public void delete(Caller caller, RepositoryName name) {
        access.repository(caller, name, Role.Capability.DELETE);
        registry.deleteRepository(caller, name);
    }

    private RepositoryRow row(RepositoryName name) {
        return repositories.row(name)
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "repository " + name + " not found"));
    }

    private static boolean sysadmin(Caller caller) {
        Principal principal = caller.principal();
        return principal.sysadmin();
    }

    private static RepositoryInfo info(long projectId, RepositoryRow row) {
        return new RepositoryInfo(row.id(), projectId, row.name(), row.description(), row.artifactCount(), row.pullCount(),
            row.createdAt(), row.updatedAt());
    }
}
