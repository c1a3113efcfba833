package io.wharf.core.system;

import io.wharf.core.audit.AuditCounts;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.registry.ProjectRepositories;
import io.wharf.core.storage.BlobStore;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Harbor's {@code /statistics} and the console dashboard's {@link Activity}: for logged-in callers
 * only. Everyone sees every public project; system administrators see every project, others the
 * private projects {@link ProjectService#list} shows them (their memberships; a robot's granted
 * projects). Only system administrators learn the storage used by the whole registry (the sum of the
 * sizes of all blobs, each digest counted once); others learn what the projects they see hold.
 */
@Service
public class StatisticsService {

    /** Projects in {@link Activity#storageByProject()}. */
    public static final int TOP_PROJECTS = 8;
    /** Days in {@link Activity#days()}, today included. */
    public static final int DAYS = 14;
    /** Pushes in {@link Activity#recentPushes()}. */
    public static final int RECENT_PUSHES = 10;

    private static final String PUSH = "push";
    private static final String PULL = "pull";

    private final AccessPolicy policy;
    private final ProjectService projects;
    private final ProjectRepositories repositories;
    private final BlobStore blobs;
    private final AuditCounts audit;
    private final Clock clock;

    StatisticsService(AccessPolicy policy, ProjectService projects, ProjectRepositories repositories, BlobStore blobs,
                      AuditCounts audit, Clock clock) {
        this.policy = policy;
        this.projects = projects;
        this.repositories = repositories;
        this.blobs = blobs;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * The statistics {@code caller} may see.
     *
     * @throws io.wharf.core.error.PlatformException {@code UNAUTHORIZED} for anonymous callers
     */
    @Transactional(readOnly = true)
    public Statistics statistics(Caller caller) {
        policy.requireAuthenticated(caller);
        List<String> publicProjects = names(projects.list(caller, null, true, Pageable.unpaged()).getContent());
        long publicRepos = repositories.count(publicProjects);
        if (isSysadmin(caller)) {
            long allProjects = projects.list(caller, null, null, Pageable.ofSize(1)).getTotalElements();
            return new Statistics(publicProjects.size(), allProjects - publicProjects.size(), publicRepos,
                repositories.countAll() - publicRepos, blobs.totalSize());
        }
        List<String> privateProjects = names(projects.list(caller, null, false, Pageable.unpaged()).getContent());
        return new Statistics(publicProjects.size(), privateProjects.size(), publicRepos, repositories.count(privateProjects), 0);
    }

    /**
     * What happened in the projects {@code caller} sees (every project for system administrators): the
     * storage used, the {@value #TOP_PROJECTS} projects that hold the most, pushes and pulls on each of
     * the last {@value #DAYS} days (UTC, by the clock; from the audit log) and the
     * {@value #RECENT_PUSHES} newest pushes. Counted by the database.
     *
     * @throws io.wharf.core.error.PlatformException {@code UNAUTHORIZED} for anonymous callers
     */
    @Transactional(readOnly = true)
    public Activity activity(Caller caller) {
        policy.requireAuthenticated(caller);
        boolean everything = isSysadmin(caller);
        List<String> visible = everything ? List.of() : names(projects.list(caller, null, null, Pageable.unpaged()).getContent());
        long storage = everything ? blobs.totalSize() : repositories.storage(false, visible);
        List<Activity.ProjectStorage> top = repositories.storageByProject(everything, visible, TOP_PROJECTS).stream()
            .map(p -> new Activity.ProjectStorage(p.project(), p.bytes())).toList();
        List<Activity.Push> pushes = audit.newest(PUSH, everything, visible, RECENT_PUSHES).stream()
            .map(entry -> Activity.Push.of(entry.resource(), entry.occurredAt())).filter(Objects::nonNull).toList();
        return new Activity(storage, top, days(everything, visible), pushes);
    }

    /** The last {@link #DAYS} days, today last, with their pushes and pulls (zero where the log has none). */
    private List<Activity.Day> days(boolean everything, List<String> visible) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = today.minusDays(DAYS - 1);
        Map<LocalDate, long[]> counts = new HashMap<>();
        for (AuditCounts.DayCount count : audit.perDay(Set.of(PUSH, PULL), first.atStartOfDay(ZoneOffset.UTC).toInstant(),
            today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), everything, visible)) {
            counts.computeIfAbsent(count.day(), d -> new long[2])[PUSH.equals(count.operation()) ? 0 : 1] += count.count();
        }
        List<Activity.Day> days = new ArrayList<>(DAYS);
        for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            long[] pushesAndPulls = counts.getOrDefault(day, new long[2]);
            days.add(new Activity.Day(day, pushesAndPulls[0], pushesAndPulls[1]));
        }
        return days;
    }

    private static boolean isSysadmin(Caller caller) {
        return caller.principal().sysadmin();
    }

    private static List<String> names(List<Project> projects) {
        return projects.stream().map(Project::name).toList();
    }
}
