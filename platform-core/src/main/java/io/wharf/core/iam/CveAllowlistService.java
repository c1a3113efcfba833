package io.wharf.core.iam;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * CVE allowlists (Harbor's {@code /system/CVEAllowlist} and a project's {@code cve_allowlist}): the
 * vulnerability ids the pull policy does not count. A project uses the system's list while its
 * {@code reuse_sys_cve_allowlist} setting is true (the default, as in Harbor), else its own. Any
 * logged-in caller reads the system's list (Harbor); system administrators change it. A project's
 * list is read with the project and changed by whoever may manage the project. Lists are rows read
 * at every check, so every node applies a change at once.
 */
@Service
public class CveAllowlistService {

    private final JdbcTemplate jdbc;
    private final AccessPolicy policy;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    CveAllowlistService(JdbcTemplate jdbc, AccessPolicy policy, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.policy = policy;
        this.events = events;
        this.clock = clock;
    }

    /** The system's list, for any logged-in caller. */
    @Transactional(readOnly = true)
    public CveAllowlist system(Caller caller) {
        policy.requireAuthenticated(caller);
        return find(CveAllowlist.SYSTEM);
    }

    /**
     * Replaces the system's list. System administrators.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a blank or repeated id
     */
    @Transactional
    public CveAllowlist setSystem(Caller caller, List<String> items, @Nullable Long expiresAt) {
        policy.requireSysadmin(caller);
        CveAllowlist saved = save(CveAllowlist.SYSTEM, items, expiresAt);
        events.publishEvent(new CveAllowlistChanged(caller.name(), caller.remoteAddr(), clock.instant(), null,
            saved.items().size(), expiresAt));
        return saved;
    }

    /** The project's own list (empty when it has none); callers have checked access to the project. */
    @Transactional(readOnly = true)
    public CveAllowlist ofProject(Project project) {
        return find(project.id());
    }

    /**
     * Replaces the project's own list. Whoever may manage the project.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a blank or repeated id
     */
    @Transactional
    public CveAllowlist setProject(Caller caller, Project project, List<String> items, @Nullable Long expiresAt) {
        policy.require(caller, project, Role.Capability.MANAGE);
        CveAllowlist saved = save(project.id(), items, expiresAt);
        events.publishEvent(new CveAllowlistChanged(caller.name(), caller.remoteAddr(), clock.instant(), project.name(),
            saved.items().size(), expiresAt));
        return saved;
    }

    /**
     * The ids the pull policy ignores in project {@code projectId}: the system's list when
     * {@code reuseSystem}, else the project's; none once the list has expired.
     */
    @Transactional(readOnly = true)
    public Set<String> effective(long projectId, boolean reuseSystem) {
        CveAllowlist list = find(reuseSystem ? CveAllowlist.SYSTEM : projectId);
        return list.activeAt(clock.instant()) ? new HashSet<>(list.items()) : Set.of();
    }

    @EventListener
    void onProjectDeleted(ProjectDeleted deleted) {
        jdbc.update("DELETE FROM cve_allowlist WHERE project_id = ?", deleted.projectId());
    }

    private CveAllowlist find(long projectId) {
        return jdbc.query("SELECT items, expires_at, creation_time, update_time FROM cve_allowlist WHERE project_id = ?",
                (rs, i) -> new CveAllowlist(projectId, lines(rs.getString(1)), (Long) rs.getObject(2, Long.class),
                    rs.getObject(3, OffsetDateTime.class), rs.getObject(4, OffsetDateTime.class)), projectId)
            .stream().findFirst().orElseGet(() -> new CveAllowlist(projectId, List.of(), null, null, null));
    }

    private CveAllowlist save(long projectId, List<String> items, @Nullable Long expiresAt) {
        Set<String> ids = new LinkedHashSet<>();
        for (String item : items) {
            String id = item == null ? "" : item.trim();
            if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "cve_id must be a non-empty id without spaces");
            }
            if (!ids.add(id)) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "duplicate cve_id: " + id);
            }
        }
        if (expiresAt != null && expiresAt < 0) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "expires_at must be Unix seconds or null");
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        String text = String.join("\n", ids);
        // two nodes saving at once: the row is created once, the last update wins
        jdbc.update("INSERT INTO cve_allowlist (project_id, items, expires_at, creation_time, update_time) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING", projectId, text, expiresAt, now, now);
        jdbc.update("UPDATE cve_allowlist SET items = ?, expires_at = ?, update_time = ? WHERE project_id = ?",
            text, expiresAt, now, projectId);
        return find(projectId);
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }
}
