package io.wharf.retention.policy;

import io.wharf.core.schedule.CronSchedule;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.ProjectSettingsService;
import io.wharf.core.iam.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Projects' retention policies ({@code /retentions}), one per project as in Harbor, whose id the project
 * shows as its {@code retention_id} metadata. Harbor's permissions: project administrators, maintainers
 * and developers (and system administrators) read, create, change, delete and run them; guests and
 * anonymous callers cannot. Every change is published as {@link RetentionPolicyChanged}, which the
 * audit log records and the scheduler follows.
 */
@Service
public class RetentionPolicyService {

    /** Harbor's limit of rules per policy. */
    public static final int MAX_RULES = 15;

    private final RetentionPolicyRepository policies;
    private final ProjectService projects;
    private final ProjectSettingsService settings;
    private final AccessPolicy access;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    RetentionPolicyService(RetentionPolicyRepository policies, ProjectService projects, ProjectSettingsService settings,
                           AccessPolicy access, ApplicationEventPublisher events, Clock clock) {
        this.policies = policies;
        this.projects = projects;
        this.settings = settings;
        this.access = access;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Project {@code nameOrId} if the caller may read, change and run its retention policy.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown project, {@link ErrorCode#UNAUTHORIZED}
     *         or {@link ErrorCode#DENIED} otherwise
     */
    @Transactional(readOnly = true)
    public Project permitted(Caller caller, String nameOrId) {
        Project project = projects.get(caller, nameOrId);
        access.require(caller, project, Role.Capability.RETENTION);
        return project;
    }

    /**
     * Policy {@code id} with its project, if the caller may use it.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown policy (also one of a project the caller
     *         cannot see), {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED}
     */
    @Transactional(readOnly = true)
    public RetentionPolicy get(Caller caller, long id) {
        RetentionPolicyEntity entity = policies.findById(id).orElseThrow(() -> unknown(id));
        try {
            permitted(caller, String.valueOf(entity.projectId));
        } catch (PlatformException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                throw unknown(id);
            }
            throw e;
        }
        return entity.view();
    }

    /** The project's policy, if it has one; as {@link #permitted}. */
    @Transactional(readOnly = true)
    public Optional<RetentionPolicy> ofProject(Caller caller, String project) {
        return policies.findByProjectId(permitted(caller, project).id()).map(RetentionPolicyEntity::view);
    }

    /** Policy {@code id} without an access check, for the runner; empty when it was deleted. */
    @Transactional(readOnly = true)
    public Optional<RetentionPolicy> find(long id) {
        return policies.findById(id).map(RetentionPolicyEntity::view);
    }

    /** Every policy with a schedule, for the scheduler at start. */
    @Transactional(readOnly = true)
    public List<RetentionPolicy> scheduled() {
        return policies.findByCronIsNotNull().stream().map(RetentionPolicyEntity::view).toList();
    }

    /**
     * Creates the policy of the project {@code spec} names and records its id as the project's {@code retention_id}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for bad rules or cron, {@link ErrorCode#CONFLICT}
     *         when the project has a policy; as {@link #permitted}
     */
    @Transactional
    public RetentionPolicy create(Caller caller, PolicySpec spec) {
        Project project = permitted(caller, spec.projectRef());
        check(spec);
        if (policies.findByProjectId(project.id()).isPresent()) {
            throw new PlatformException(ErrorCode.CONFLICT, "project " + project.name() + " has a retention policy already");
        }
        RetentionPolicyEntity entity = new RetentionPolicyEntity();
        entity.projectId = project.id();
        entity.creator = caller.name();
        entity.createdAt = OffsetDateTime.now(clock);
        apply(entity, spec);
        policies.saveAndFlush(entity);
        settings.recordRetentionId(project.id(), entity.id());
        publish(caller, "create", project, entity);
        return entity.view();
    }

    /**
     * Replaces policy {@code id}'s rules and trigger; its project stays.
     *
     * @throws PlatformException as {@link #get} and {@link #create}; {@link ErrorCode#INVALID_ARGUMENT} when the scope
     *         names another project
     */
    @Transactional
    public RetentionPolicy update(Caller caller, long id, PolicySpec spec) {
        RetentionPolicy current = get(caller, id);
        Project project = projects.get(String.valueOf(current.projectId()));
        if (!spec.projectRef().equals(String.valueOf(project.id())) && !spec.projectRef().equals(project.name())) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "the scope of policy " + id + " is project " + project.id());
        }
        check(spec);
        RetentionPolicyEntity entity = policies.findById(id).orElseThrow(() -> unknown(id));
        apply(entity, spec);
        publish(caller, "update", project, entity);
        return entity.view();
    }

    /** Deletes policy {@code id} with its runs and removes the project's {@code retention_id}; as {@link #get}. */
    @Transactional
    public void delete(Caller caller, long id) {
        RetentionPolicy current = get(caller, id);
        Project project = projects.get(String.valueOf(current.projectId()));
        RetentionPolicyEntity entity = policies.findById(id).orElseThrow(() -> unknown(id));
        policies.delete(entity);
        settings.recordRetentionId(project.id(), null);
        entity.cron = null;
        publish(caller, "delete", project, entity);
    }

    private void apply(RetentionPolicyEntity entity, PolicySpec spec) {
        entity.cron = spec.cron() == null || spec.cron().isBlank() ? null : spec.cron().trim();
        entity.updatedAt = OffsetDateTime.now(clock);
        entity.rules.clear();
        spec.rules().forEach(rule -> entity.rules.add(new RuleColumns(rule)));
    }

    private static void check(PolicySpec spec) {
        if (spec.rules().size() > MAX_RULES) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "a policy has at most " + MAX_RULES + " rules");
        }
        if (spec.cron() != null && !spec.cron().isBlank()) {
            CronSchedule.toQuartz(spec.cron());
        }
    }

    private void publish(Caller caller, String operation, Project project, RetentionPolicyEntity entity) {
        events.publishEvent(new RetentionPolicyChanged(caller.name(), caller.remoteAddr(), clock.instant(), operation, project.name(),
            entity.id(), entity.cron));
    }

    private static PlatformException unknown(long id) {
        return new PlatformException(ErrorCode.NOT_FOUND, "retention policy " + id + " not found");
    }

    /**
     * A checked rule from Harbor's fields.
     *
     * @param params the template's parameters by name; the one it takes must be a positive whole number
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for an unknown template, a missing or bad parameter
     */
    public static RetentionRule rule(boolean disabled, @Nullable String template, java.util.Map<String, ?> params,
                                     io.wharf.core.tagrule.Selector tags, boolean untagged, io.wharf.core.tagrule.Selector repositories) {
        Template t = Template.of(template);
        Integer param = null;
        if (t != Template.ALWAYS) {
            Object value = params.get(t.harborName());
            if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 0
                || n.longValue() > Integer.MAX_VALUE) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT,
                    "rule template " + t.harborName() + " takes params {\"" + t.harborName() + "\": <a whole number of 0 or more>}");
            }
            param = n.intValue();
        }
        return new RetentionRule(disabled, t, param, tags, untagged, repositories);
    }
}
