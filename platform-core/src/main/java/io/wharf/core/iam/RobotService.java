package io.wharf.core.iam;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;
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
 * expiry and a disabled flag. The secret is random, shown once (at creation or refresh) and kept only
 * as a SHA-256 hash; a random 256-bit secret needs no slow hash, and a fast one keeps robot logins cheap.
 */
@Service
public class RobotService {

    /** The actions a robot may hold. */
    public static final Set<String> ACTIONS = Set.of("pull", "push", "delete");

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RobotRepository robots;
    private final ProjectRepository projects;
    private final java.time.Clock clock;

    RobotService(RobotRepository robots, ProjectRepository projects, java.time.Clock clock) {
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
    public Created create(String name, @Nullable String description, String level, Map<String, Set<String>> permissions,
                          int duration, boolean disabled) {
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
        RobotEntity robot = new RobotEntity(fullName, description, level, projectId, hash(secret), disabled, duration);
        permissions.forEach((namespace, actions) -> robot.permissions.put(namespace, String.join(",", actions)));
        return new Created(robots.saveAndFlush(robot).toRobot(), secret);
    }

    @Transactional(readOnly = true)
    public Robot get(long id) {
        return entity(id).toRobot();
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
     * One page of robots by id, counted and cut by the database: the project robots of
     * {@code projectId}, or every robot (system and project) when it is null.
     *
     * @param pageable the page; its sort is ignored
     */
    @Transactional(readOnly = true)
    public Page<Robot> list(@Nullable Long projectId, Pageable pageable) {
        Pageable page = pageable.isPaged() ? PageRequest.of(pageable.getPageNumber(), pageable.getPageSize()) : pageable;
        return (projectId == null ? robots.findAllByOrderById(page) : robots.findByProjectIdOrderById(projectId, page))
            .map(RobotEntity::toRobot);
    }

    /** Updates description, disabled flag, duration and (for system robots, or within the same project) permissions. */
    @Transactional
    public Robot update(long id, @Nullable String description, boolean disabled, @Nullable Integer duration,
                        @Nullable Map<String, Set<String>> permissions) {
        RobotEntity robot = entity(id);
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
        robot.updatedAt = OffsetDateTime.now();
        return robot.toRobot();
    }

    /** Replaces the secret with {@code secret} when given (checked against the password policy), else a random one. */
    @Transactional
    public String refreshSecret(long id, @Nullable String secret) {
        RobotEntity robot = entity(id);
        String value = secret == null || secret.isEmpty() ? newSecret() : secret;
        if (secret != null && !secret.isEmpty()) {
            PasswordPolicy.check(secret);
        }
        robot.secretHash = hash(value);
        robot.updatedAt = OffsetDateTime.now();
        return value;
    }

    @Transactional
    public void delete(long id) {
        robots.delete(entity(id));
    }

    /** The active robot {@code name} whose secret is {@code secret}. Constant-time on the secret. */
    @Transactional(readOnly = true)
    Optional<Robot> verify(String name, String secret) {
        Optional<RobotEntity> robot = robots.findByName(name);
        byte[] expected = robot.map(r -> r.secretHash).orElse(hash("")).getBytes(StandardCharsets.US_ASCII);
        boolean matches = MessageDigest.isEqual(expected, hash(secret).getBytes(StandardCharsets.US_ASCII));
        return matches ? robot.map(RobotEntity::toRobot).filter(r -> r.isActiveAt(clock.instant())) : Optional.empty();
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

    private static String hash(String secret) {
        return io.wharf.core.registry.digest.Digest.sha256(secret.getBytes(StandardCharsets.UTF_8)).hex();
    }
}
