package io.wharf.core.iam;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A project's summary and its settings as Harbor's string metadata ({@code /metadatas}). The
 * settings Wharf has are {@code public} (a column of the project) and, as rows of
 * {@code project_metadata}, {@code auto_scan} (scan on push), {@code prevent_vul} and {@code severity}
 * (the vulnerability pull policy) and {@code reuse_sys_cve_allowlist} (which CVE allowlist it uses);
 * booleans are {@code "true"} or {@code "false"}, a severity one of Harbor's in lower case. Any other
 * key is refused with Harbor's {@code invalid key} error. Reading settings needs {@link Role.Capability#READ_SETTINGS}
 * (Project Admins, Maintainers, system administrators); changing them {@link Role.Capability#MANAGE},
 * through {@link ProjectService#update}, so the change is audited like any project update. The
 * summary of a proxy-cache project adds its upstream and cache statistics, asked of
 * {@link ProxyCacheStatus} when a module provides one.
 */
@Service
public class ProjectSettingsService {

    /** Harbor's key of the project's visibility. */
    public static final String PUBLIC = "public";
    /** Harbor's key of scan on push. */
    public static final String AUTO_SCAN = "auto_scan";
    /** Harbor's key of the project's tag retention policy id; set by the retention module, read-only here. */
    public static final String RETENTION_ID = "retention_id";
    /** Harbor's key of the vulnerability pull policy's switch. */
    public static final String PREVENT_VUL = "prevent_vul";
    /** Harbor's key of the pull policy's threshold: the lowest severity that blocks a pull. */
    public static final String SEVERITY = "severity";
    /** Harbor's key of the choice between the system's CVE allowlist ({@code true}, the default) and the project's own. */
    public static final String REUSE_SYS_CVE_ALLOWLIST = "reuse_sys_cve_allowlist";
    /** The severities {@link #SEVERITY} takes (Harbor's, lower case), from least to most severe. */
    public static final List<String> SEVERITIES = List.of("none", "unknown", "negligible", "low", "medium", "high", "critical");

    /** The keys kept in {@code project_metadata} that the metadata API sets. */
    private static final List<String> STORED = List.of(AUTO_SCAN, PREVENT_VUL, SEVERITY, REUSE_SYS_CVE_ALLOWLIST);
    /** The keys of {@code project_metadata} the metadata API reads: {@link #STORED} and {@link #RETENTION_ID}. */
    private static final List<String> READABLE = List.of(AUTO_SCAN, PREVENT_VUL, SEVERITY, REUSE_SYS_CVE_ALLOWLIST, RETENTION_ID);

    /**
     * What the vulnerability pull policy reads of a project.
     *
     * @param severity the threshold, lower case; {@code low} when not set
     */
    public record VulnerabilityPolicy(long projectId, boolean preventVul, String severity, boolean reuseSystemAllowlist) {
    }

    private final ProjectService projects;
    private final MemberRepository members;
    private final AccessPolicy policy;
    private final ObjectProvider<ProxyCacheStatus> proxyCaches;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final java.time.Clock clock;
    private final CveAllowlistService allowlists;

    ProjectSettingsService(ProjectService projects, MemberRepository members, AccessPolicy policy,
                           ObjectProvider<ProxyCacheStatus> proxyCaches, org.springframework.jdbc.core.JdbcTemplate jdbc,
                           org.springframework.context.ApplicationEventPublisher events, java.time.Clock clock,
                           CveAllowlistService allowlists) {
        this.allowlists = allowlists;
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
        this.projects = projects;
        this.members = members;
        this.policy = policy;
        this.proxyCaches = proxyCaches;
    }

    /**
     * The project's summary, for anyone who may see the project (pull); the member counts only for
     * callers who may see its members, as in Harbor.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED}
     */
    @Transactional(readOnly = true)
    public ProjectSummary summary(Caller caller, String nameOrId) {
        Project project = projects.get(caller, nameOrId);
        Map<Role, Long> counts = null;
        if (policy.can(caller.principal(), project, Role.Capability.READ_MEMBERS)) {
            counts = new EnumMap<>(Role.class);
            for (Role role : Role.values()) {
                counts.put(role, 0L);
            }
            for (Object[] row : members.countByRole(project.id())) {
                counts.put(Role.of(((Number) row[0]).intValue()), ((Number) row[1]).longValue());
            }
        }
        return new ProjectSummary(projects.repositoryCount(project), counts, proxyCache(project));
    }

    /**
     * The upstream, request counts and cache size of a proxy-cache project, for anyone who may see the
     * project (pull); empty for other projects. Reads only.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED}
     */
    @Transactional(readOnly = true)
    public Optional<ProxyCacheSummary> proxyCache(Caller caller, String nameOrId) {
        return Optional.ofNullable(proxyCache(projects.get(caller, nameOrId)));
    }

    private @Nullable ProxyCacheSummary proxyCache(Project project) {
        ProxyCacheStatus status = proxyCaches.getIfAvailable();
        if (project.registryId() == null || status == null) {
            return null;
        }
        return new ProxyCacheSummary(status.upstream(project.registryId()).orElse(null), status.counts(project.id()),
            projects.storage(project));
    }

    /** A project request's {@code cve_allowlist}: the ids and the expiry (Unix seconds, null for never). */
    public record AllowlistUpdate(List<String> items, @Nullable Long expiresAt) {
    }

    /**
     * Creates a project with the settings and allowlist of Harbor's project request, in one
     * transaction: a bad setting leaves no project behind. As {@link ProjectService#create(Caller, String, boolean, Long, Long)}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for an unknown key or a bad value
     */
    @Transactional
    public Project create(Caller caller, String name, boolean isPublic, @Nullable Long registryId, Map<String, String> metadata,
                          @Nullable AllowlistUpdate allowlist, @Nullable Long storageLimit) {
        Map<String, String> values = normalized(metadata);
        Project project = projects.create(caller, name, isPublic, registryId, storageLimit);
        values.forEach((key, value) -> store(caller, project.name(), key, value));
        if (allowlist != null) {
            allowlists.setProject(caller, project, allowlist.items(), allowlist.expiresAt());
        }
        return project;
    }

    /**
     * Updates a project from Harbor's project request (visibility, settings, allowlist), in one
     * transaction. Whoever may manage the project.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for an unknown key or a bad value
     */
    @Transactional
    public Project update(Caller caller, String nameOrId, @Nullable Boolean isPublic, Map<String, String> metadata,
                          @Nullable AllowlistUpdate allowlist) {
        Map<String, String> values = normalized(metadata);
        Project project = projects.update(caller, nameOrId, isPublic);
        values.forEach((key, value) -> store(caller, project.name(), key, value));
        if (allowlist != null) {
            allowlists.setProject(caller, project, allowlist.items(), allowlist.expiresAt());
        }
        return project;
    }

    /** Every setting of the project, by Harbor's key. */
    @Transactional(readOnly = true)
    public Map<String, String> metadata(Caller caller, String nameOrId) {
        Project project = readable(caller, nameOrId);
        Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put(PUBLIC, String.valueOf(project.isPublic()));
        all.putAll(stored(project.id()));
        return all;
    }

    /**
     * One setting of the project, or empty when the key is not one Wharf knows (Harbor answers an
     * empty object for a key that is not set).
     */
    @Transactional(readOnly = true)
    public Optional<String> metadata(Caller caller, String nameOrId, String key) {
        Project project = readable(caller, nameOrId);
        if (READABLE.contains(key)) {
            return stored(project.id(), key);
        }
        return PUBLIC.equals(key) ? Optional.of(String.valueOf(project.isPublic())) : Optional.empty();
    }

    /** The stored settings of project {@code projectId} (all but {@code public}, with {@code retention_id}), by key; callers have checked access. */
    @Transactional(readOnly = true)
    public Map<String, String> stored(long projectId) {
        Map<String, String> all = new java.util.TreeMap<>();
        jdbc.query("SELECT name, metadata_value FROM project_metadata WHERE project_id = ?",
            rs -> {
                if (READABLE.contains(rs.getString(1))) {
                    all.put(rs.getString(1), rs.getString(2));
                }
            }, projectId);
        return all;
    }

    /** Whether project {@code projectId} scans artifacts on push ({@code auto_scan}), for Wharf's own listeners. */
    @Transactional(readOnly = true)
    public boolean autoScan(long projectId) {
        return stored(projectId, AUTO_SCAN).map(Boolean::parseBoolean).orElse(false);
    }

    /**
     * The pull policy's settings of project {@code projectName} in one read, for Wharf's own check on
     * every manifest GET; empty when there is no such project.
     */
    @Transactional(readOnly = true)
    public Optional<VulnerabilityPolicy> vulnerabilityPolicy(String projectName) {
        Map<String, String> values = new java.util.HashMap<>();
        long[] id = {-1};
        jdbc.query("SELECT p.id, m.name, m.metadata_value FROM project p LEFT JOIN project_metadata m ON m.project_id = p.id"
                + " AND m.name IN (?, ?, ?) WHERE p.name = ?",
            rs -> {
                id[0] = rs.getLong(1);
                if (rs.getString(2) != null) {
                    values.put(rs.getString(2), rs.getString(3));
                }
            }, PREVENT_VUL, SEVERITY, REUSE_SYS_CVE_ALLOWLIST, projectName);
        if (id[0] < 0) {
            return Optional.empty();
        }
        return Optional.of(new VulnerabilityPolicy(id[0], Boolean.parseBoolean(values.get(PREVENT_VUL)),
            values.getOrDefault(SEVERITY, "low"), Boolean.parseBoolean(values.getOrDefault(REUSE_SYS_CVE_ALLOWLIST, "true"))));
    }

    /** The id of project {@code projectId}'s tag retention policy ({@code retention_id}), when it has one. */
    @Transactional(readOnly = true)
    public Optional<Long> retentionId(long projectId) {
        return stored(projectId, RETENTION_ID).map(Long::parseLong);
    }

    /**
     * Records (or, with null, removes) project {@code projectId}'s tag retention policy id as its
     * {@code retention_id} metadata, as Harbor does; the retention module calls it in the transaction
     * that creates or deletes the policy, and checks the caller's permission itself.
     */
    @Transactional
    public void recordRetentionId(long projectId, @Nullable Long policyId) {
        jdbc.update("DELETE FROM project_metadata WHERE project_id = ? AND name = ?", projectId, RETENTION_ID);
        if (policyId != null) {
            jdbc.update("INSERT INTO project_metadata (project_id, name, metadata_value) VALUES (?, ?, ?)", projectId, RETENTION_ID,
                String.valueOf(policyId));
        }
    }

    private Optional<String> stored(long projectId, String key) {
        return jdbc.queryForList("SELECT metadata_value FROM project_metadata WHERE project_id = ? AND name = ?", String.class, projectId, key)
            .stream().findFirst();
    }

    private void store(Caller caller, String nameOrId, String key, @Nullable String value) {
        Project project = projects.get(nameOrId);
        policy.require(caller, project, Role.Capability.MANAGE);
        jdbc.update("DELETE FROM project_metadata WHERE project_id = ? AND name = ?", project.id(), key);
        if (value != null) {
            jdbc.update("INSERT INTO project_metadata (project_id, name, metadata_value) VALUES (?, ?, ?)", project.id(), key, value);
        }
        events.publishEvent(new ProjectMetadataChanged(caller.name(), caller.remoteAddr(), clock.instant(), project.name(), key, value));
    }

    /**
     * Sets the settings in {@code values}, Harbor's string form; Harbor accepts exactly one pair per
     * call. Project Admins and system administrators.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for an unknown key, a value that is
     *                           not a boolean or a severity, or not exactly one pair
     */
    @Transactional
    public void update(Caller caller, String nameOrId, Map<String, String> values) {
        if (values.size() != 1) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "only allow one key/value pair");
        }
        Map.Entry<String, String> pair = values.entrySet().iterator().next();
        if (STORED.contains(pair.getKey())) {
            store(caller, nameOrId, pair.getKey(), normalize(pair.getKey(), pair.getValue()));
            return;
        }
        projects.update(caller, nameOrId, parsePublic(pair.getKey(), pair.getValue()));
    }

    /** The stored settings among {@code values}, checked and normalised; {@code public} is the project's own field. */
    private static Map<String, String> normalized(Map<String, String> values) {
        Map<String, String> normalized = new java.util.LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (!PUBLIC.equals(key)) {
                requireKnown(key);
                normalized.put(key, normalize(key, value));
            }
        });
        return normalized;
    }

    /**
     * Removes a setting: without {@code public} a project is private, as in Harbor. Project Admins and
     * system administrators.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for an unknown key
     */
    @Transactional
    public void delete(Caller caller, String nameOrId, String key) {
        requireKnown(key);
        if (STORED.contains(key)) {
            store(caller, nameOrId, key, null);
            return;
        }
        projects.update(caller, nameOrId, false);
    }

    private static String normalize(String key, @Nullable String value) {
        if (value == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "invalid value for " + key + ": null");
        }
        if (SEVERITY.equals(key)) {
            String severity = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (!SEVERITIES.contains(severity)) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "invalid severity: " + value + " (one of " + SEVERITIES + ")");
            }
            return severity;
        }
        return String.valueOf(parseBool(value));
    }

    private Project readable(Caller caller, String nameOrId) {
        Project project = projects.get(nameOrId);
        policy.require(caller, project, Role.Capability.READ_SETTINGS);
        return project;
    }

    private static boolean parsePublic(String key, String value) {
        requireKnown(key);
        return parseBool(value);
    }

    private static boolean parseBool(String value) {
        // Harbor parses with Go's strconv.ParseBool
        if (List.of("1", "t", "T", "TRUE", "true", "True").contains(value)) {
            return true;
        }
        if (List.of("0", "f", "F", "FALSE", "false", "False").contains(value)) {
            return false;
        }
        throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "invalid value: " + value);
    }

    private static void requireKnown(String key) {
        if (!PUBLIC.equals(key) && !STORED.contains(key)) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "invalid key: " + key);
        }
    }
}
