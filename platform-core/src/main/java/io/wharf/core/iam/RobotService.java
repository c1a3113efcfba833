package io.wharf.core.iam;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Robot accounts: {@code robot$<project>+<name>} for one project, {@code robot$<name>} for the system
 * (spanning several or all projects). Each has explicit per-project actions (pull, push, delete), an
 * expiry and a disabled flag. The secret is shown once (at creation or refresh) and kept only as a
 * bcrypt hash, like passwords: generated secrets are 32 random bytes, chosen ones must pass the
 * password policy. Secrets hashed by earlier versions (unsalted SHA-256) still verify and are
 * re-hashed with bcrypt at their next successful login. {@link LoginService} caches successful
 * checks, so bcrypt does not run on every request.
 *
 * <p>The use cases that take a {@link Caller} check access: system robots are managed by system
 * administrators, project robots by the project's admins; each change is published as an event.
 */
@Service
public class RobotService {

    /** The actions a robot may hold. */
    public static final Set<String> ACTIONS = Set.of("pull", "push", "delete");

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RobotRepository robots;
    private final ProjectRepository projects;
    private final PasswordEncoder encoder;
    private final AccessPolicy policy;
    private final ProjectService projectService;
    private final ApplicationEventPublisher events;
    private final java.time.Clock clock;
    private final String dummyHash;

    RobotService(RobotRepository robots, ProjectRepository projects, PasswordEncoder encoder, AccessPolicy policy,
                 ProjectService projectService, ApplicationEventPublisher events, java.time.Clock clock) {
        this.encoder = encoder;
        this.policy = policy;
        this.projectService = projectService;
        this.events = events;
        this.dummyHash = encoder.encode(newSecret());
        this.clock = clock;
        this.robots = robots;
        this.projects = projects;
    }

    /** A robot and its secret, as returned once at creation or refresh. */
    public record Created(Robot robot, String secret) {
    }

    /**
     * Creates a robot.
     *
     * @param level       {@code project}: exactly one permission entry, for an existing project;
     *                    {@code system}: entries for existing projects or {@code *}
     * @param permissions project name to actions
     * @param duration    days until expiry, -1 for never
     */
    @Transactional
    public Created create(Caller caller, String name, @Nullable String description, String level,
                          Map<String, Set<String>> permissions, int duration, boolean disabled) {
        authorizeManage(caller, level, permissions);
        if (name == null || name.length() > 200 || !NAME.matcher(name).matches()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT,
                "the robot name must be lower-case letters and digits separated by '.', '_' or '-'");
        }
        if (duration == 0 || duration < -1) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "duration must be a number of days, or -1 for never");
        }
        Long projectId = checkPermissions(level, permissions);
        String fullName = Robot.PREFIX + ("project".equals(level) ? permissions.keySet().iterator().next() + "+" + name : name);
        if (robots.findByName(fullName).isPresent()) {
            throw new PlatformException(ErrorCode.CONFLICT, "robot " + fullName + " already exists");
        }
        String secret = newSecret();
        RobotEntity robot = new RobotEntity(fullName, description, level, projectId, encoder.encode(secret), disabled, duration);
        permissions.forEach((namespace, actions) -> robot.permissions.put(namespace, String.join(",", actions)));
        Created created = new Created(robots.saveAndFlush(robot).toRobot(), secret);
        events.publishEvent(new RobotCreated(caller.name(), caller.remoteAddr(), clock.instant(), fullName));
        return created;
    }

    /** The robot {@code id}, for system administrators and (project robots) the project's readers of members. */
    @Transactional(readOnly = true)
    public Robot get(Caller caller, long id) {
        Robot robot = entity(id).toRobot();
        policy.requireAuthenticated(caller);
        if (!caller.principal().sysadmin()) {
            if (robot.projectId() == null) {
                throw new PlatformException(ErrorCode.DENIED, "only system administrators see system robots");
            }
            policy.require(caller, projectService.get(String.valueOf(robot.projectId())), Role.Capability.READ_MEMBERS);
        }
        return robot;
    }

    @Transactional(readOnly = true)
    public Optional<Robot> find(String name) {
        return robots.findByName(name).map(RobotEntity::toRobot);
    }

    /** The robot {@code name} when it exists and is active now (not disabled, not expired). */
    @Transactional(readOnly = true)
    public Optional<Robot> findActive(String name) {
        return find(name).filter(r -> r.isActiveAt(clock.instant()));
    }

    /**
     * One page of robots by name (Harbor's order), then id, counted and cut by the database: the
     * project robots of {@code project} (name or id; for its readers of members), or every robot,
     * system and project (system administrators), when it is null.
     *
     * @param pageable the page; its sort is ignored
     */
    @Transactional(readOnly = true)
    public Page<Robot> list(Caller caller, @Nullable String project, Pageable pageable) {
        Long projectId = null;
        if (project != null) {
            Project p = projectService.get(project);
            policy.require(caller, p, Role.Capability.READ_MEMBERS);
            projectId = p.id();
        } else {
            policy.requireSysadmin(caller);
        }
        Pageable page = pageable.isPaged() ? PageRequest.of(pageable.getPageNumber(), pageable.getPageSize()) : pageable;
        return (projectId == null ? robots.findAllByOrderByNameAscIdAsc(page) : robots.findByProjectIdOrderByNameAscIdAsc(projectId, page))
            .map(RobotEntity::toRobot);
    }

    /** Updates description, disabled flag, duration and (for system robots, or within the same project) permissions. */
    @Transactional
    public Robot update(Caller caller, long id, @Nullable String description, boolean disabled, @Nullable Integer duration,
                        @Nullable Map<String, Set<String>> permissions) {
        RobotEntity robot = entity(id);
        authorizeManage(caller, robot.level, robot.toRobot().permissions());
        if (permissions != null) {
            authorizeManage(caller, robot.level, permissions);
        }
        robot.description = description;
        robot.disabled = disabled;
        if (duration != null) {
            if (duration == 0 || duration < -1) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "duration must be a number of days, or -1 for never");
            }
            robot.setDuration(duration);
        }
        if (permissions != null) {
            Long projectId = checkPermissions(robot.level, permissions);
            if ("project".equals(robot.level) && !java.util.Objects.equals(projectId, robot.projectId)) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "a project robot stays in its project");
            }
            robot.permissions.clear();
            permissions.forEach((namespace, actions) -> robot.permissions.put(namespace, String.join(",", actions)));
        }
        robot.updatedAt = OffsetDateTime.now(clock);
        events.publishEvent(new RobotUpdated(caller.name(), caller.remoteAddr(), clock.instant(), robot.name));
        return robot.toRobot();
    }

    /** Replaces the secret with {@code secret} when given (checked against the password policy), else a random one. */
    @Transactional
    public String refreshSecret(Caller caller, long id, @Nullable String secret) {
        RobotEntity robot = entity(id);
        authorizeManage(caller, robot.level, robot.toRobot().permissions());
        String value = secret == null || secret.isEmpty() ? newSecret() : secret;
        if (secret != null && !secret.isEmpty()) {
            PasswordPolicy.check(secret);
        }
        robot.secretHash = encoder.encode(value);
        robot.updatedAt = OffsetDateTime.now(clock);
        events.publishEvent(new RobotSecretRefreshed(caller.name(), caller.remoteAddr(), clock.instant(), robot.name));
        return value;
    }

    @Transactional
    public void delete(Caller caller, long id) {
        RobotEntity robot = entity(id);
        authorizeManage(caller, robot.level, robot.toRobot().permissions());
        robots.delete(robot);
        events.publishEvent(new RobotDeleted(caller.name(), caller.remoteAddr(), clock.instant(), robot.name));
    }

    /**
     * The robot's version, which every change increases; empty when there is no such robot or it is
     * not active now (disabled or expired), so a cached login of it is never used.
     */
    Optional<AccountStamp> stamp(String name) {
        return robots.findActiveStamp(name, java.time.OffsetDateTime.now(clock));
    }

    private void authorizeManage(Caller caller, String level, Map<String, Set<String>> permissions) {
        policy.requireUser(caller);
        if (caller.principal().sysadmin()) {
            return;
        }
        if (!"project".equals(level)) {
            throw new PlatformException(ErrorCode.DENIED, "only system administrators manage system robots");
        }
        for (String namespace : permissions.keySet()) {
            policy.require(caller, projectService.get(namespace), Role.Capability.MANAGE);
        }
    }

    /**
     * The active robot {@code name} whose secret is {@code secret}. Runs bcrypt for unknown names too,
     * so both take as long; re-hashes a legacy SHA-256 secret with bcrypt when it matches.
     */
    @Transactional
    Optional<Robot> verify(String name, String secret) {
        Optional<RobotEntity> robot = robots.findByName(name);
        String stored = robot.map(r -> r.secretHash).orElse(dummyHash);
        boolean matches;
        if (isLegacyHash(stored)) {
            matches = MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII), sha256(secret).getBytes(StandardCharsets.US_ASCII));
            if (matches) {
                // a conditional update: parallel first logins cannot conflict, and the version stays
                robots.rehashSecret(robot.get().id, stored, encoder.encode(secret));
            }
        } else {
            matches = encoder.matches(secret, stored);
        }
        return matches ? robot.map(RobotEntity::toRobot).filter(r -> r.isActiveAt(clock.instant())) : Optional.empty();
    }

    /** A secret hash from before bcrypt: 64 hex digits of unsalted SHA-256. */
    private static boolean isLegacyHash(String stored) {
        return stored.length() == 64 && stored.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    private @Nullable Long checkPermissions(String level, Map<String, Set<String>> permissions) {
        if (!"project".equals(level) && !"system".equals(level)) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "level must be system or project");
        }
        if (permissions.isEmpty() || ("project".equals(level) && permissions.size() != 1)) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT,
                "project" .equals(level) ? "a project robot has permissions for exactly one project" : "a robot needs permissions");
        }
        Long projectId = null;
        for (Map.Entry<String, Set<String>> entry : new LinkedHashMap<>(permissions).entrySet()) {
            if (entry.getValue().isEmpty() || !ACTIONS.containsAll(entry.getValue())) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "robot actions are pull, push and delete");
            }
            if ("*".equals(entry.getKey())) {
                if ("project".equals(level)) {
                    throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "a project robot names its project");
                }
                continue;
            }
            ProjectEntity project = projects.findByName(entry.getKey())
                .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "project " + entry.getKey() + " not found"));
            projectId = project.id;
        }
        return "project".equals(level) ? projectId : null;
    }

    private RobotEntity entity(long id) {
        return robots.findById(id).orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "robot " + id + " not found"));
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String sha256(String secret) {
        return io.wharf.core.registry.digest.Digest.sha256(secret.getBytes(StandardCharsets.UTF_8)).hex();
    }
}
