package io.wharf.replication.policy;

import io.wharf.core.schedule.CronSchedule;
import io.wharf.core.HarborQuery;
import io.wharf.core.TextMatch;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.ProjectService;
import io.wharf.replication.endpoint.EndpointType;
import io.wharf.replication.endpoint.RegistryEndpoint;
import io.wharf.replication.endpoint.RegistryEndpointService;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Managing replication policies, for system administrators. A policy either pulls (a source
 * endpoint, into a local project) or pushes (local repositories, to a destination endpoint). A pull
 * from Docker Hub must name its namespace in a name filter ({@code library/**}), because Docker Hub
 * has no catalog to enumerate. Changes publish {@link ReplicationPolicyChanged}, from which the
 * Quartz schedule is kept in step.
 */
@Service
public class ReplicationPolicyService {

    private static final Map<String, String> SORT_KEYS = Map.of("name", "name", "creation_time", "createdAt",
        "update_time", "updatedAt", "id", "id");
    private static final Sort DEFAULT_SORT = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ReplicationPolicyRepository policies;
    private final RegistryEndpointService endpoints;
    private final ProjectService projects;
    private final AccessPolicy access;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ReplicationPolicyService(ReplicationPolicyRepository policies, RegistryEndpointService endpoints, ProjectService projects,
                             AccessPolicy access, ApplicationEventPublisher events, Clock clock) {
        this.policies = policies;
        this.endpoints = endpoints;
        this.projects = projects;
        this.access = access;
        this.events = events;
        this.clock = clock;
    }

    /** Policies whose name matches Harbor's {@code q} ({@code name}), paged. */
    @Transactional(readOnly = true)
    public Page<ReplicationPolicy> list(Caller caller, @Nullable String q, @Nullable String sort, Pageable pageable) {
        access.requireSysadmin(caller);
        TextMatch names = HarborQuery.parse(q, Set.of("name")).match("name");
        Pageable sorted = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(),
            HarborQuery.sort(sort, SORT_KEYS, DEFAULT_SORT));
        return policies.search(names.pattern(), names.anyValue(), names.values(), sorted).map(ReplicationPolicyService::view);
    }

    /** @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown id */
    @Transactional(readOnly = true)
    public ReplicationPolicy get(Caller caller, long id) {
        access.requireSysadmin(caller);
        return view(entity(id));
    }

    /**
     * Creates a policy.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for an inconsistent policy,
     *         {@link ErrorCode#CONFLICT} when the name is taken
     */
    @Transactional
    public ReplicationPolicy create(Caller caller, PolicySpec spec) {
        access.requireSysadmin(caller);
        validate(caller, spec);
        if (policies.findByName(spec.name().trim()).isPresent()) {
            throw new PlatformException(ErrorCode.CONFLICT, "a policy named " + spec.name().trim() + " exists");
        }
        ReplicationPolicyEntity entity = new ReplicationPolicyEntity(OffsetDateTime.now(clock));
        apply(entity, spec);
        policies.saveAndFlush(entity);
        publish(caller, "create", entity);
        return view(entity);
    }

    /**
     * Replaces a policy's settings.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT}, {@link ErrorCode#CONFLICT}
     */
    @Transactional
    public ReplicationPolicy update(Caller caller, long id, PolicySpec spec) {
        access.requireSysadmin(caller);
        ReplicationPolicyEntity entity = entity(id);
        validate(caller, spec);
        policies.findByName(spec.name().trim()).filter(other -> !other.id.equals(entity.id)).ifPresent(other -> {
            throw new PlatformException(ErrorCode.CONFLICT, "a policy named " + spec.name().trim() + " exists");
        });
        apply(entity, spec);
        entity.updatedAt = OffsetDateTime.now(clock);
        policies.flush();
        publish(caller, "update", entity);
        return view(entity);
    }

    /**
     * Deletes a policy with its executions.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}; {@link ErrorCode#PRECONDITION} while an execution runs
     */
    @Transactional
    public void delete(Caller caller, long id) {
        access.requireSysadmin(caller);
        ReplicationPolicyEntity entity = entity(id);
        if (policies.countRunningExecutions(id) > 0) {
            throw new PlatformException(ErrorCode.PRECONDITION, "the policy " + entity.name
                + " has a running execution; stop it first");
        }
        policies.delete(entity);
        policies.flush();
        publish(caller, "delete", entity);
    }

    /** The policy {@code id} for Wharf's own jobs (no caller), or empty when it was deleted. */
    @Transactional(readOnly = true)
    public java.util.Optional<ReplicationPolicy> find(long id) {
        return policies.findById(id).map(ReplicationPolicyService::view);
    }

    /** The enabled policies with {@code trigger}, for the scheduler and the event trigger. */
    @Transactional(readOnly = true)
    public List<ReplicationPolicy> enabled(TriggerType trigger) {
        return policies.findByEnabledTrueAndTriggerType(trigger.id()).stream().map(ReplicationPolicyService::view).toList();
    }

    private void validate(Caller caller, PolicySpec spec) {
        if (spec.name().isBlank() || spec.name().length() > 255) {
            throw invalid("a policy needs a name of 1 to 255 characters");
        }
        if ((spec.srcRegistryId() == null) == (spec.destRegistryId() == null)) {
            throw invalid("a policy has either a source registry (pull into Wharf) or a destination registry (push from Wharf)");
        }
        long remoteId = spec.srcRegistryId() != null ? spec.srcRegistryId() : spec.destRegistryId();
        RegistryEndpoint remote;
        try {
            remote = endpoints.get(caller, remoteId);
        } catch (PlatformException e) {
            throw invalid("no registry with id " + remoteId);
        }
        boolean pulls = spec.srcRegistryId() != null;
        String namespace = spec.destNamespace() == null ? "" : spec.destNamespace().trim();
        if (pulls && !namespace.isEmpty()) {
            String project = namespace.split("/")[0];
            if (!projects.exists(caller, project)) {
                throw invalid("the destination project " + project + " does not exist");
            }
        }
        if (pulls && remote.type() == EndpointType.DOCKER_HUB) {
            boolean namespaced = spec.filters().stream().anyMatch(f -> f.type() == PolicyFilter.Type.NAME && !f.excludes()
                && Glob.of(f.value()).literalPrefix().length() > 0);
            if (!namespaced) {
                throw invalid("Docker Hub cannot list all its repositories: give a name filter that starts with a "
                    + "namespace, such as library/** or library/nginx");
            }
        }
        if (spec.trigger() == TriggerType.SCHEDULED) {
            if (spec.cron() == null || spec.cron().isBlank()) {
                throw invalid("a scheduled policy needs a cron expression");
            }
            CronSchedule.toQuartz(spec.cron());
        }
        if (spec.trigger() == TriggerType.EVENT_BASED && pulls) {
            throw invalid("event-based triggers react to local pushes and deletes: only push policies can use them");
        }
        if (spec.concurrency() < 1 || spec.concurrency() > 10) {
            throw invalid("concurrency is 1 to 10");
        }
        if (spec.speedKb() < 0 || spec.rateLimitFloor() < 0) {
            throw invalid("speed and rate-limit floor are 0 or more");
        }
        if (spec.filters().stream().filter(f -> f.type() == PolicyFilter.Type.PLATFORM).count() > 1) {
            throw invalid("give one platform filter listing every platform to keep");
        }
    }

    private static PlatformException invalid(String message) {
        return new PlatformException(ErrorCode.INVALID_ARGUMENT, message);
    }

    private void publish(Caller caller, String operation, ReplicationPolicyEntity entity) {
        boolean scheduled = !operation.equals("delete") && entity.enabled && TriggerType.SCHEDULED.id().equals(entity.triggerType)
            && entity.cron != null;
        events.publishEvent(new ReplicationPolicyChanged(caller.name(), caller.remoteAddr(), clock.instant(), operation,
            entity.name, entity.id, scheduled ? CronSchedule.toQuartz(entity.cron) : null));
    }

    private ReplicationPolicyEntity entity(long id) {
        return policies.findById(id).orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "no replication policy with id " + id));
    }

    private static void apply(ReplicationPolicyEntity e, PolicySpec spec) {
        e.name = spec.name().trim();
        e.description = spec.description();
        e.srcRegistryId = spec.srcRegistryId();
        e.destRegistryId = spec.destRegistryId();
        e.destNamespace = spec.destNamespace() == null || spec.destNamespace().isBlank() ? null : spec.destNamespace().trim();
        e.destNamespaceReplaceCount = spec.destNamespaceReplaceCount();
        e.triggerType = spec.trigger().id();
        e.cron = spec.trigger() == TriggerType.SCHEDULED ? spec.cron() : null;
        e.filters = JSON.writeValueAsString(spec.filters().stream().map(f -> {
            Map<String, String> json = new LinkedHashMap<>();
            json.put("type", f.type().id());
            json.put("value", f.value());
            json.put("decoration", f.excludes() ? "excludes" : "matches");
            return json;
        }).toList());
        e.override = spec.override();
        e.replicateDeletion = spec.replicateDeletion();
        e.enabled = spec.enabled();
        e.concurrency = spec.concurrency();
        e.speedKb = spec.speedKb();
        e.rateLimitFloor = spec.rateLimitFloor();
    }

    private static ReplicationPolicy view(ReplicationPolicyEntity e) {
        List<Map<String, String>> filters = JSON.readValue(e.filters, new TypeReference<>() {
        });
        PolicySpec spec = new PolicySpec(e.name, e.description, e.srcRegistryId, e.destRegistryId, e.destNamespace,
            e.destNamespaceReplaceCount, TriggerType.of(e.triggerType), e.cron,
            filters.stream().map(f -> PolicyFilter.of(f.get("type"), f.get("value"), f.get("decoration"))).toList(),
            e.override, e.replicateDeletion, e.enabled, e.concurrency, e.speedKb, e.rateLimitFloor);
        return new ReplicationPolicy(e.id, spec, e.createdAt, e.updatedAt);
    }
}
