package io.wharf.core.iam;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.ProjectRepositories;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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

    /** Every project, by name. */
    @Transactional(readOnly = true)
    public List<Project> all() {
        return projects.findAll().stream().map(ProjectEntity::toProject).sorted(Comparator.comparing(Project::name)).toList();
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

    @Transactional(readOnly = true)
    public List<Member> members(long projectId) {
        return members.findByProjectIdOrderById(projectId).stream().map(this::toMember).toList();
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

    private MemberEntity memberEntity(long projectId, long memberId) {
        return members.findById(memberId).filter(m -> m.projectId == projectId)
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "member " + memberId + " not found"));
    }

    private ProjectEntity entity(long id) {
        return projects.findById(id).orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "project " + id + " not found"));
    }
}
