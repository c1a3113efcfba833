package io.wharf.core.iam;

import io.wharf.core.HarborQuery;
import io.wharf.core.TextMatch;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.quota.QuotaService;
import io.wharf.core.registry.ProjectRepositories;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
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
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ObjectProvider<AccessPolicy> policy;
    private final ObjectProvider<QuotaService> quotas;

    // the policy and the quotas ask this service for projects and roles, hence the providers
    ProjectService(ProjectRepository projects, MemberRepository members, UserRepository users, ProjectRepositories repositories,
                   RobotRepository robots, ApplicationEventPublisher events, Clock clock, ObjectProvider<AccessPolicy> policy,
                   ObjectProvider<QuotaService> quotas) {
        this.quotas = quotas;
        this.events = events;
        this.clock = clock;
        this.policy = policy;
        this.robots = robots;
        this.projects = projects;
        this.members = members;
        this.users = users;
        this.repositories = repositories;
    }

    /** Creates a project for a logged-in user (not a robot), who becomes its Project Admin. */
    @Transactional
    public Project create(Caller caller, String name, boolean isPublic) {
        return create(caller, name, isPublic, null);
    }

    /**
     * Creates a project for a logged-in user (not a robot), who becomes its Project Admin; with a
     * {@code registryId}, a proxy-cache project of that registry endpoint, which only system
     * administrators may create (as in Harbor).
     *
     * @throws PlatformException {@link ErrorCode#DENIED} for a proxy-cache project asked by another
     *         user, {@link ErrorCode#INVALID_ARGUMENT} for an unknown registry
     */
    @Transactional
    public Project create(Caller caller, String name, boolean isPublic, @Nullable Long registryId) {
        return create(caller, name, isPublic, registryId, null);
    }

    /**
     * As {@link #create(Caller, String, boolean, Long)}, with the project's storage limit in bytes
     * ({@code storage_limit}; -1 for none): taken from system administrators only, everyone else's
     * projects get {@code wharf.quota.default-storage-limit}, as in Harbor; null or 0 means the default.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a limit other than -1, 0 or a positive number
     */
    @Transactional
    public Project create(Caller caller, String name, boolean isPublic, @Nullable Long registryId, @Nullable Long storageLimit) {
        policy.getObject().requireUser(caller);
        if (registryId != null) {
            policy.getObject().requireSysadmin(caller);
        }
        Project project = create(name, isPublic, caller.principal().userId(), registryId);
        quotas.getObject().created(project.id(), storageLimit, caller.principal().sysadmin());
        events.publishEvent(new ProjectCreated(caller.name(), caller.remoteAddr(), clock.instant(), project.id(), project.name(),
            project.isPublic()));
        return project;
    }

    /**
     * Whether project {@code name} exists (Harbor's {@code HEAD /projects}, which project creation
     * forms use to check a name). Anonymous callers learn it only of public projects.
     *
     * @throws PlatformException {@link ErrorCode#UNAUTHORIZED} for anonymous callers asking about a private or unknown name
     */
    @Transactional(readOnly = true)
    public boolean exists(Caller caller, String name) {
        Optional<Project> project = find(name);
        if (!project.map(Project::isPublic).orElse(false)) {
            policy.getObject().requireAuthenticated(caller);
        }
        return project.isPresent();
    }

    /** The project {@code nameOrId}, when the caller may see it (pull). */
    @Transactional(readOnly = true)
    public Project get(Caller caller, String nameOrId) {
        Project project = get(nameOrId);
        policy.getObject().require(caller, project, Role.Capability.PULL);
        return project;
    }

    /** Changes the settings that are not null; Project Admins and system administrators. */
    @Transactional
    public Project update(Caller caller, String nameOrId, @Nullable Boolean isPublic) {
        Project project = get(nameOrId);
        policy.getObject().require(caller, project, Role.Capability.MANAGE);
        if (isPublic != null) {
            project = setPublic(project.id(), isPublic);
        }
        events.publishEvent(new ProjectUpdated(caller.name(), caller.remoteAddr(), clock.instant(), project.id(), project.name(),
            isPublic));
        return project;
    }

    /** Deletes an empty project; see {@link #delete(long)}. Project Admins and system administrators. */
    @Transactional
    public void delete(Caller caller, String nameOrId) {
        Project project = get(nameOrId);
        policy.getObject().require(caller, project, Role.Capability.MANAGE);
        delete(project.id());
        events.publishEvent(new ProjectDeleted(caller.name(), caller.remoteAddr(), clock.instant(), project.id(), project.name()));
    }

    /** The caller's role in the project, when it is a member. */
    public Optional<Role> role(Caller caller, Project project) {
        return policy.getObject().role(caller.principal(), project);
    }

    /**
     * Creates a project owned by {@code owner} (a user id, or null for the system), without an access
     * check or event: for the bootstrap and system jobs. Callers use {@link #create(Caller, String, boolean)}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a bad name, {@link ErrorCode#CONFLICT} when taken
     */
    @Transactional
    public Project create(String name, boolean isPublic, @Nullable Long owner) {
        Project project = create(name, isPublic, owner, null);
        quotas.getObject().created(project.id(), null, false);
        return project;
    }

    private Project create(String name, boolean isPublic, @Nullable Long owner, @Nullable Long registryId) {
        if (name == null || name.length() > 255 || !NAME.matcher(name).matches()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT,
                "the project name must be lower-case letters and digits, separated by '.', '_', '__' or '-'");
        }
        if (projects.findByName(name).isPresent()) {
            throw new PlatformException(ErrorCode.CONFLICT, "project " + name + " already exists");
        }
        ProjectEntity entity = new ProjectEntity(name, isPublic, owner);
        entity.registryId = registryId;
        ProjectEntity project;
        try {
            project = projects.saveAndFlush(entity);
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "no registry with id " + registryId);
        }
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
     * One page of the projects {@code caller} may pull from, by name, filtered with Harbor's {@code q}
     * as well: {@code name} in any of {@link HarborQuery}'s text forms (Harbor's console asks
     * {@code name={a b}} for several projects) and {@code public=true|false}. The parameters
     * {@code nameFragment} and {@code isPublic}, when not null, take the place of those criteria, as
     * Harbor's {@code name} and {@code public} parameters do. Otherwise as {@link #list(Caller, String, Boolean, Pageable)}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a bad {@code q}
     */
    @Transactional(readOnly = true)
    public Page<Project> list(Caller who, @Nullable String q, @Nullable String nameFragment, @Nullable Boolean isPublic,
                              Pageable pageable) {
        HarborQuery query = HarborQuery.parse(q, Set.of("name", "public"));
        HarborQuery.Criterion visibility = query.get("public");
        if (isPublic == null && visibility != null) {
            if (visibility.form() != HarborQuery.Criterion.Form.EXACT || !visibility.value().matches("true|false")) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "public must be true or false");
            }
            isPublic = Boolean.parseBoolean(visibility.value());
        }
        return visible(who, nameFragment != null ? TextMatch.containing(nameFragment) : query.match("name"), isPublic, pageable);
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
    public Page<Project> list(Caller who, @Nullable String nameFragment, @Nullable Boolean isPublic, Pageable pageable) {
        return visible(who, nameFragment == null ? TextMatch.ANY : TextMatch.containing(nameFragment), isPublic, pageable);
    }

    private Page<Project> visible(Caller who, TextMatch names, @Nullable Boolean isPublic, Pageable pageable) {
        Principal caller = who.principal();
        boolean everything = caller.sysadmin();
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
        return projects.findVisible(everything, userId, granted, names.pattern(), names.anyValue(), names.values(),
                isPublic == null, isPublic != null && isPublic, unsorted(pageable))
            .map(ProjectEntity::toProject);
    }

    private Project setPublic(long id, boolean isPublic) {
        ProjectEntity project = entity(id);
        project.isPublic = isPublic;
        project.updatedAt = OffsetDateTime.now(clock);
        return project.toProject();
    }

    /**
     * Deletes an empty project with its members, its project robots and every system robot's grant on
     * it; {@link ErrorCode#PRECONDITION} while it holds repositories.
     */
    private void delete(long id) {
        ProjectEntity project = entity(id);
        long count = repositories.count(project.name);
        if (count > 0) {
            throw new PlatformException(ErrorCode.PRECONDITION,
                "project " + project.name + " still holds " + count + " repositories; delete them first");
        }
        // system robots name projects by name: their grants must not pass to a later project of the same name
        robots.increaseVersionsFor(project.name);
        robots.deletePermissionsFor(project.name);
        projects.delete(project);
    }

    /** The number of repositories in the project. */
    public long repositoryCount(Project project) {
        return repositories.count(project.name());
    }

    /** The bytes {@code project} holds: its repositories' distinct blobs and manifests, each digest once. */
    public long storage(Project project) {
        return repositories.storage(false, List.of(project.name()));
    }

    // ---- members -----------------------------------------------------------------------------

    /** The user's role in the project, when a member. */
    @Transactional(readOnly = true)
    public Optional<Role> role(long projectId, long userId) {
        return members.findByProjectIdAndUserId(projectId, userId).map(m -> Role.of(m.roleId));
    }

    /**
     * One page of the project's members by username (Harbor's order, by entity name), then membership
     * id, counted and cut by the database; for the project's readers of members.
     *
     * @param usernameFragment only members whose username contains it; null or empty for all
     * @param pageable         the page; its sort is ignored
     */
    @Transactional(readOnly = true)
    public Page<Member> members(Caller caller, String project, @Nullable String usernameFragment, Pageable pageable) {
        Project p = get(project);
        policy.getObject().require(caller, p, Role.Capability.READ_MEMBERS);
        return members.findPage(p.id(), containsPattern(usernameFragment), unsorted(pageable)).map(this::toMember);
    }

    /** One member of the project, for its readers of members. */
    @Transactional(readOnly = true)
    public Member member(Caller caller, String project, long memberId) {
        Project p = get(project);
        policy.getObject().require(caller, p, Role.Capability.READ_MEMBERS);
        return toMember(memberEntity(p.id(), memberId));
    }

    /**
     * Adds a user to the project.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown user, {@link ErrorCode#CONFLICT} when already a member
     */
    @Transactional
    public Member addMember(Caller caller, String project, @Nullable Long userId, @Nullable String username, Role role) {
        Project p = get(project);
        policy.getObject().require(caller, p, Role.Capability.MANAGE);
        long projectId = p.id();
        UserEntity user = (userId != null ? users.findById(userId) : users.findByUsername(String.valueOf(username)))
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "user " + (userId != null ? userId : username) + " not found"));
        if (members.findByProjectIdAndUserId(projectId, user.id).isPresent()) {
            throw new PlatformException(ErrorCode.CONFLICT, user.username + " is already a member");
        }
        Member member = toMember(members.saveAndFlush(new MemberEntity(projectId, user.id, role)));
        events.publishEvent(new MemberAdded(caller.name(), caller.remoteAddr(), clock.instant(), p.name(), member.username(), role));
        return member;
    }

    /** Changes a member's role; Project Admins and system administrators. */
    @Transactional
    public Member updateMember(Caller caller, String project, long memberId, Role role) {
        Project p = get(project);
        policy.getObject().require(caller, p, Role.Capability.MANAGE);
        MemberEntity entity = memberEntity(p.id(), memberId);
        entity.roleId = role.id();
        entity.updatedAt = OffsetDateTime.now(clock);
        Member member = toMember(entity);
        events.publishEvent(new MemberRoleChanged(caller.name(), caller.remoteAddr(), clock.instant(), p.name(), member.username(), role));
        return member;
    }

    /** Removes a member; Project Admins and system administrators. */
    @Transactional
    public void removeMember(Caller caller, String project, long memberId) {
        Project p = get(project);
        policy.getObject().require(caller, p, Role.Capability.MANAGE);
        MemberEntity entity = memberEntity(p.id(), memberId);
        Member member = toMember(entity);
        members.delete(entity);
        events.publishEvent(new MemberRemoved(caller.name(), caller.remoteAddr(), clock.instant(), p.name(), member.username()));
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
        return io.wharf.core.LikePatterns.containing(fragment);
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
