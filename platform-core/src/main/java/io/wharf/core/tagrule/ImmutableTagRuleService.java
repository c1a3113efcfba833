package io.wharf.core.tagrule;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.Role;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A project's immutable tag rules ({@code /projects/{p}/immutabletagrules}), with Harbor's permissions:
 * project administrators and maintainers (and system administrators) list, create, change and delete
 * them; developers, guests and anonymous callers cannot even list them. Every change is published as
 * {@link ImmutableTagRuleChanged} for the audit log. The rules are read from the database at every
 * check ({@link ImmutableTags}), so a change applies on every node at once.
 */
@Service
public class ImmutableTagRuleService {

    private final ImmutableTagRuleRepository rules;
    private final ProjectService projects;
    private final AccessPolicy access;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ImmutableTagRuleService(ImmutableTagRuleRepository rules, ProjectService projects, AccessPolicy access,
                            ApplicationEventPublisher events, Clock clock) {
        this.rules = rules;
        this.projects = projects;
        this.access = access;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Project {@code nameOrId} if the caller may manage its immutable tag rules.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown project, {@link ErrorCode#UNAUTHORIZED}
     *         or {@link ErrorCode#DENIED} otherwise
     */
    @Transactional(readOnly = true)
    public Project manageable(Caller caller, String nameOrId) {
        Project project = projects.get(caller, nameOrId);
        access.require(caller, project, Role.Capability.IMMUTABLE_RULES);
        return project;
    }

    /** The project's rules by priority, then id, disabled ones included; as {@link #manageable}. */
    @Transactional(readOnly = true)
    public List<ImmutableTagRule> list(Caller caller, String project) {
        return rules.findByProjectIdOrderByPriorityAscIdAsc(manageable(caller, project).id()).stream()
            .map(ImmutableTagRuleEntity::view).toList();
    }

    /** Creates a rule in {@code project}; as {@link #manageable}. */
    @Transactional
    public ImmutableTagRule create(Caller caller, String project, ImmutableTagRuleSpec spec) {
        Project target = manageable(caller, project);
        ImmutableTagRuleEntity entity = new ImmutableTagRuleEntity();
        entity.projectId = target.id();
        entity.createdAt = OffsetDateTime.now(clock);
        entity.apply(spec);
        ImmutableTagRule created = rules.saveAndFlush(entity).view();
        publish(caller, "create", target, created);
        return created;
    }

    /**
     * Replaces rule {@code id} of {@code project}.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} when the project has no such rule; as {@link #manageable}
     */
    @Transactional
    public ImmutableTagRule update(Caller caller, String project, long id, ImmutableTagRuleSpec spec) {
        Project target = manageable(caller, project);
        ImmutableTagRuleEntity entity = entity(target, id);
        entity.apply(spec);
        ImmutableTagRule updated = rules.saveAndFlush(entity).view();
        publish(caller, "update", target, updated);
        return updated;
    }

    /** Deletes rule {@code id} of {@code project}; as {@link #update}. */
    @Transactional
    public void delete(Caller caller, String project, long id) {
        Project target = manageable(caller, project);
        ImmutableTagRuleEntity entity = entity(target, id);
        ImmutableTagRule deleted = entity.view();
        rules.delete(entity);
        publish(caller, "delete", target, deleted);
    }

    private ImmutableTagRuleEntity entity(Project project, long id) {
        return rules.findByIdAndProjectId(id, project.id()).orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND,
            "project " + project.name() + " has no immutable tag rule " + id));
    }

    private void publish(Caller caller, String operation, Project project, ImmutableTagRule rule) {
        events.publishEvent(new ImmutableTagRuleChanged(caller.name(), caller.remoteAddr(), clock.instant(), operation,
            project.name(), rule.id(), rule.describe() + (rule.disabled() ? ", disabled" : "")));
    }
}
