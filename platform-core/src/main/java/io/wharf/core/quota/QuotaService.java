package io.wharf.core.quota;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.Role;
import io.wharf.core.registry.ProjectRepositories;
import io.wharf.core.registry.metadata.RepositoryStore;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Project storage quotas as Harbor's {@code /quotas} API and project summary show them: every project
 * has one (made with it); system administrators list, read and change them; project members (not
 * limited guests) read their project's through its summary. Usage is computed from the registry's links
 * when asked, never stored (see {@code docs/quotas.md}); enforcement is {@link QuotaGuard}'s.
 */
@Service
public class QuotaService {

    /** Harbor's sort keys of {@code GET /quotas}, each ascending, or descending with a leading {@code -}. */
    private static final Map<String, Comparator<Quota>> SORTS = Map.of(
        "hard.storage", Comparator.comparingLong(Quota::hard),
        "used.storage", Comparator.comparingLong(Quota::used));

    private final QuotaTable table;
    private final ProjectService projects;
    private final ProjectRepositories usage;
    private final AccessPolicy policy;
    private final QuotaProperties properties;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    QuotaService(QuotaTable table, ProjectService projects, ProjectRepositories usage, AccessPolicy policy,
                 QuotaProperties properties, ApplicationEventPublisher events, Clock clock) {
        this.table = table;
        this.projects = projects;
        this.usage = usage;
        this.policy = policy;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Gives a new project its quota, in the transaction that creates the project: {@code requested}
     * when the creator may choose one (a system administrator, as in Harbor) and asked for one, else
     * {@code wharf.quota.default-storage-limit}. A requested 0 means the default, as in Harbor.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a limit other than -1 or a positive number
     */
    @Transactional
    public void created(long projectId, @Nullable Long requested, boolean mayChoose) {
        long hard = mayChoose && requested != null && requested != 0
            ? Quotas.checked("storage_limit", requested) : properties.defaultStorageLimit();
        table.insert(projectId, hard, OffsetDateTime.now(clock));
    }

    /**
     * One page of quotas for a system administrator, filtered as Harbor's {@code reference} (only
     * {@code project} has quotas) and {@code reference_id} (a project id), sorted by {@code sort}
     * ({@code hard.storage}, {@code used.storage}, either with a leading {@code -}; by id when null).
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for another sort,
     *         {@link ErrorCode#UNAUTHORIZED}/{@link ErrorCode#DENIED} for anyone but a system administrator
     */
    @Transactional(readOnly = true)
    public Page<Quota> list(Caller caller, @Nullable String reference, @Nullable String referenceId, @Nullable String sort,
                            Pageable pageable) {
        policy.requireSysadmin(caller);
        Comparator<Quota> order = order(sort);
        if (reference != null && !reference.isEmpty() && !reference.equals("project")) {
            return Page.empty(pageable);
        }
        Long projectId = null;
        if (referenceId != null && !referenceId.isEmpty()) {
            if (!referenceId.matches("\\d{1,18}")) {
                return Page.empty(pageable);
            }
            projectId = Long.parseLong(referenceId);
        }
        List<QuotaTable.Row> rows = table.rows(projectId);
        Map<String, Long> used = usage(rows.size() == 1 ? List.of(rows.get(0).project()) : null);
        List<Quota> all = rows.stream().map(row -> row.withUsage(used.getOrDefault(row.project(), 0L))).sorted(order).toList();
        int from = (int) Math.min(pageable.getOffset(), all.size());
        int to = Math.min(from + pageable.getPageSize(), all.size());
        return new PageImpl<>(all.subList(from, to), pageable, all.size());
    }

    /**
     * Quota {@code id}, for a system administrator.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED}
     */
    @Transactional(readOnly = true)
    public Quota get(Caller caller, long id) {
        policy.requireSysadmin(caller);
        return withUsage(table.row(id).orElseThrow(() -> notFound(id)));
    }

    /**
     * Sets quota {@code id}'s storage limit (Harbor's {@code PUT /quotas/{id}} with {@code {"hard":{"storage":N}}}),
     * for a system administrator. A limit below the current usage is accepted (as in Harbor): pushes that
     * add bytes are refused until usage is below it again.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a limit other than -1 or a positive
     *         number, {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED}
     */
    @Transactional
    public Quota update(Caller caller, long id, long hard) {
        policy.requireSysadmin(caller);
        Quotas.checked("hard.storage", hard);
        QuotaTable.Row row = table.row(id).orElseThrow(() -> notFound(id));
        table.update(id, hard, OffsetDateTime.now(clock));
        events.publishEvent(new QuotaUpdated(caller.name(), caller.remoteAddr(), clock.instant(), id, row.project(), hard));
        return withUsage(table.row(id).orElseThrow());
    }

    /**
     * The quota of project {@code nameOrId}, for callers who may see its members (its members but limited
     * guests, and system administrators), as Harbor's project summary shows it; empty for other callers
     * who may see the project.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED}
     *         when the caller may not see the project
     */
    @Transactional(readOnly = true)
    public Optional<Quota> ofProject(Caller caller, String nameOrId) {
        Project project = projects.get(caller, nameOrId);
        if (!policy.can(caller.principal(), project, Role.Capability.READ_MEMBERS)) {
            return Optional.empty();
        }
        return table.rowOfProject(project.id()).map(this::withUsage);
    }

    private Quota withUsage(QuotaTable.Row row) {
        return row.withUsage(usage.storage(false, List.of(row.project())));
    }

    /** The bytes each project holds, of {@code projects} or of every project when null. */
    private Map<String, Long> usage(@Nullable List<String> names) {
        return usage.storageByProject(names == null, names == null ? List.of() : names, Integer.MAX_VALUE).stream()
            .collect(Collectors.toMap(RepositoryStore.ProjectStorage::project, RepositoryStore.ProjectStorage::bytes));
    }

    private static Comparator<Quota> order(@Nullable String sort) {
        Comparator<Quota> byId = Comparator.comparingLong(Quota::id);
        if (sort == null || sort.isBlank()) {
            return byId;
        }
        String key = sort.strip();
        boolean descending = key.startsWith("-");
        Comparator<Quota> order = SORTS.get(descending ? key.substring(1) : key);
        if (order == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "sort must be one of hard.storage, -hard.storage, "
                + "used.storage, -used.storage, not " + sort);
        }
        return (descending ? order.reversed() : order).thenComparing(byId);
    }

    private static PlatformException notFound(long id) {
        return new PlatformException(ErrorCode.NOT_FOUND, "quota " + id + " not found");
    }
}
