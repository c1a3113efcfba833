package io.wharf.core.iam;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.ProjectRepositories;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Projects and their members. Projects are created explicitly (never by a push); the creator becomes
 * its Project Admin. A project that still holds repositories cannot be deleted.
 */
@Service
public class ProjectService {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");

    private final ProjectRepository projects;
    private final MemberRepository members;
    private final UserRepository users;
    private final ProjectRepositories repositories;
    private final RobotRepository robots;

    ProjectService(ProjectRepository projects, MemberRepository members, UserRepository users, ProjectRepositories repositories,
                   RobotRepository robots) {
        this.robots = robots;
        this.projects = projects;
        this.members = members;
        this.users = users;
        this.repositories = repositories;
    }

    /**
     * Creates a project owned by {@code owner} (a user id, or null for the system).
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a bad name, {@link ErrorCode#CONFLICT} when taken
     */
    @Transactional
    public Project create(String name, boolean isPublic, @Nullable Long owner) {
        if (name == null || name.length() > 255 || !NAME.matcher(name).matches()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT,
                "the project name must be lower-case letters and digits, separated by '.', '_', '__' or '-'");
        }
        if (projects.findByName(name).isPresent()) {
            throw new PlatformException(ErrorCode.CONFLICT, "project " + name + " already exists");
        }
        ProjectEntity project = projects.saveAndFlush(new ProjectEntity(name, isPublic, owner));
        if (owner != null) {
            members.save(new MemberEntity(project.id, owner, Role.PROJECT_ADMIN));
        }
        return project.toProject();
    }

    @Transactional(readOnly = true)
    public Optional<Project> find(String name) {
        return projects.findByName(name).map(ProjectEntity::toProject);
    }

    /** The project named {@code nameOrId}, or with that numeric id; {@link ErrorCode#NOT_FOUND} otherwise. */
    @Transactional(readOnly = true)
    public Project get(String nameOrId) {
        Optional<ProjectEntity> byName = projects.findByName(nameOrId);
        if (byName.isEmpty() && nameOrId.matches("\\d{1,18}")) {
            byName = projects.findById(Long.parseLong(nameOrId));
        }
        return byName.map(ProjectEntity::toProject)
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "project " + nameOrId + " not found"));
    }

    /**
     * One page of the projects {@code caller} may pull from, by name, counted and cut by the database.
     * The rule is {@link AccessPolicy#can}'s for {@link Role.Capability#PULL}: system administrators
     * see every project; others the public ones, plus those they are a member of (users) or hold
     * {@code pull} on, by name or through {@code *} (robots).
     *
     * @param nameFragment only projects whose name contains it; null or empty for any
     * @param isPublic     only public ({@code true}) or private ({@code false}) projects; null for both
     * @param pageable     the page; its sort is ignored (always by name)
     * @return the page, with the total number of matching projects
     */
    @Transactional(readOnly = true)
    public Page<Project> list(Principal caller, @Nullable String nameFragment, @Nullable Boolean isPublic, Pageable pageable) {
        boolean everything = caller.kind() == Principal.Kind.USER && caller.sysadmin();
        Set<String> granted = new HashSet<>();
        if (caller.kind() == Principal.Kind.ROBOT) {
            caller.robotPermissions().forEach((namespace, actions) -> {
                if (actions.contains(AccessPolicy.PULL)) {
                    granted.add(namespace);
                }
            });
            everything = granted.remove("*");
        }
        // never an empty IN list; no project is named ""
        granted.add("");
        long userId = caller.kind() == Principal.Kind.USER && caller.userId() != null ? caller.userId() : -1;
        return projects.findVisible(everything, userId, granted, containsPattern(nameFragment), isPublic == null,
                isPublic != null && isPublic, unsorted(pageable))
            .map(ProjectEntity::toProject);
    }

    @Transactional
    public Project setPublic(long id, boolean isPublic) {
        ProjectEntity project = entity(id);
        project.isPublic = isPublic;
        project.updatedAt = OffsetDateTime.now();
        return project.toProject();
    }

    /**
     * Deletes an empty project with its members, its project robots and every system robot's grant on
     * it; {@link ErrorCode#PRECONDITION} while it holds repositories.
     */
    @Transactional
    public void delete(long id) {
        ProjectEntity project = entity(id);
        long count = repositories.count(project.name);
        if (count > 0) {
            throw new PlatformException(ErrorCode.PRECONDITION,
                "project " + project.name + " still holds " + count + " repositories; delete them first");
        }
        // system robots name projects by name: their grants must not pass to a later project of the same name
        robots.deletePermissionsFor(project.name);
        projects.delete(project);
    }

    /** The number of repositories in the project. */
    public long repositoryCount(Project project) {
        return repositories.count(project.name());
    }

    // ---- members -----------------------------------------------------------------------------

    /** The user's role in the project, when a member. */
    @Transactional(readOnly = true)
    public Optional<Role> role(long projectId, long userId) {
        return members.findByProjectIdAndUserId(projectId, userId).map(m -> Role.of(m.roleId));
    }

    /**
     * One page of the project's members, by membership id, counted and cut by the database.
     *
     * @param usernameFragment only members whose username contains it; null or empty for all
     * @param pageable         the page; its sort is ignored
     */
    @Transactional(readOnly = true)
    public Page<Member> members(long projectId, @Nullable String usernameFragment, Pageable pageable) {
        return members.findPage(projectId, containsPattern(usernameFragment), unsorted(pageable)).map(this::toMember);
    }

    @Transactional(readOnly = true)
    public Member member(long projectId, long memberId) {
        return toMember(memberEntity(projectId, memberId));
    }

    /**
     * Adds a user to the project.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown user, {@link ErrorCode#CONFLICT} when already a member
     */
    @Transactional
    public Member addMember(long projectId, @Nullable Long userId, @Nullable String username, Role role) {
        entity(projectId);
        UserEntity user = (userId != null ? users.findById(userId) : users.findByUsername(String.valueOf(username)))
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "user " + (userId != null ? userId : username) + " not found"));
        if (members.findByProjectIdAndUserId(projectId, user.id).isPresent()) {
            throw new PlatformException(ErrorCode.CONFLICT, user.username + " is already a member");
        }
        return toMember(members.saveAndFlush(new MemberEntity(projectId, user.id, role)));
    }

    @Transactional
    public Member updateMember(long projectId, long memberId, Role role) {
        MemberEntity member = memberEntity(projectId, memberId);
        member.roleId = role.id();
        member.updatedAt = OffsetDateTime.now();
        return toMember(member);
    }

    @Transactional
    public void removeMember(long projectId, long memberId) {
        members.delete(memberEntity(projectId, memberId));
    }

    private Member toMember(MemberEntity m) {
        String username = users.findById(m.userId).map(u -> u.username).orElse("");
        return new Member(m.id, m.projectId, m.userId, username, Role.of(m.roleId));
    }

    /** A LIKE pattern (escape character {@code !}) matching values that contain {@code fragment}. */
    static String containsPattern(@Nullable String fragment) {
        if (fragment == null) {
            return "%";
        }
        return "%" + fragment.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    private static Pageable unsorted(Pageable pageable) {
        return pageable.isPaged() ? PageRequest.of(pageable.getPageNumber(), pageable.getPageSize()) : pageable;
    }

    private MemberEntity memberEntity(long projectId, long memberId) {
        return members.findById(memberId).filter(m -> m.projectId == projectId)
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "member " + memberId + " not found"));
    }

    private ProjectEntity entity(long id) {
        return projects.findById(id).orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "project " + id + " not found"));
    }
}
