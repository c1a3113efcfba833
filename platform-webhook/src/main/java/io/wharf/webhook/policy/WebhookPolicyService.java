package io.wharf.webhook.policy;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A project's webhook policies, with Harbor's permissions: project administrators (and system
 * administrators) manage them, maintainers read them and their delivery log. The {@code Authorization}
 * value of a target is encrypted with core's SecretCipher (the policy's id as associated data) and
 * never shown again. Every change is published as {@link WebhookPolicyChanged} for the audit log.
 */
@Service
public class WebhookPolicyService {

    private final WebhookPolicyRepository policies;
    private final ProjectService projects;
    private final AccessPolicy access;
    private final Subscriptions subscriptions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    WebhookPolicyService(WebhookPolicyRepository policies, ProjectService projects, AccessPolicy access,
                         Subscriptions subscriptions, ApplicationEventPublisher events, Clock clock) {
        this.policies = policies;
        this.projects = projects;
        this.access = access;
        this.subscriptions = subscriptions;
        this.events = events;
        this.clock = clock;
    }

    /**
     * A receiver checked and ready to send to (the test delivery).
     *
     * @param authHeader the plain {@code Authorization} value, or null
     */
    public record Receiver(URI address, @Nullable String authHeader, boolean skipCertVerify, PayloadFormat format) {
    }

    /**
     * Project {@code nameOrId} if {@code caller} may read its webhooks (project administrators and maintainers).
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown project, {@link ErrorCode#DENIED} or
     *         {@link ErrorCode#UNAUTHORIZED} otherwise
     */
    @Transactional(readOnly = true)
    public Project readable(Caller caller, String nameOrId) {
        Project project = projects.get(caller, nameOrId);
        access.require(caller, project, Role.Capability.READ_SETTINGS);
        return project;
    }

    /** Project {@code nameOrId} if {@code caller} may manage its webhooks (project administrators); as {@link #readable}. */
    @Transactional(readOnly = true)
    public Project manageable(Caller caller, String nameOrId) {
        Project project = projects.get(caller, nameOrId);
        access.require(caller, project, Role.Capability.MANAGE);
        return project;
    }

    @Transactional(readOnly = true)
    public List<WebhookPolicy> list(Caller caller, String project) {
        return policies.findByProjectIdOrderById(readable(caller, project).id()).stream().map(WebhookPolicyEntity::view).toList();
    }

    /** @throws PlatformException {@link ErrorCode#NOT_FOUND} when the project has no policy {@code id} */
    @Transactional(readOnly = true)
    public WebhookPolicy get(Caller caller, String project, long id) {
        return entity(readable(caller, project), id).view();
    }

    /**
     * Creates a policy in {@code project}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a bad name, target or event type,
     *         {@link ErrorCode#CONFLICT} when the project has a policy of that name
     */
    @Transactional
    public WebhookPolicy create(Caller caller, String project, PolicySpec spec) {
        Project target = manageable(caller, project);
        String name = name(spec);
        if (policies.findByProjectIdAndName(target.id(), name).isPresent()) {
            throw new PlatformException(ErrorCode.CONFLICT, "project " + target.name() + " has a webhook policy named " + name);
        }
        WebhookPolicyEntity entity = new WebhookPolicyEntity();
        entity.projectId = target.id();
        entity.creator = caller.name();
        entity.createdAt = OffsetDateTime.now(clock);
        entity.updatedAt = entity.createdAt;
        apply(entity, spec, name);
        policies.saveAndFlush(entity);
        entity.targets = targets(entity.id(), spec.targets(), List.of());
        events.publishEvent(new WebhookPolicyChanged(caller.name(), caller.remoteAddr(), clock.instant(), "create", target.name(), name));
        return entity.view();
    }

    /**
     * Replaces policy {@code id} of {@code project}; a target's {@code auth_header} that is null or the mask
     * keeps the value stored for the target at the same address.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT}, {@link ErrorCode#CONFLICT}
     */
    @Transactional
    public WebhookPolicy update(Caller caller, String project, long id, PolicySpec spec) {
        Project target = manageable(caller, project);
        WebhookPolicyEntity entity = entity(target, id);
        String name = name(spec);
        policies.findByProjectIdAndName(target.id(), name).filter(other -> other.id() != id).ifPresent(other -> {
            throw new PlatformException(ErrorCode.CONFLICT, "project " + target.name() + " has a webhook policy named " + name);
        });
        apply(entity, spec, name);
        List<TargetColumns> replaced = targets(id, spec.targets(), entity.targets);
        entity.targets.clear();
        entity.targets.addAll(replaced);
        entity.updatedAt = OffsetDateTime.now(clock);
        events.publishEvent(new WebhookPolicyChanged(caller.name(), caller.remoteAddr(), clock.instant(), "update", target.name(), name));
        return entity.view();
    }

    /** Deletes policy {@code id} with its delivery log and queued deliveries. @throws PlatformException {@link ErrorCode#NOT_FOUND} */
    @Transactional
    public void delete(Caller caller, String project, long id) {
        Project target = manageable(caller, project);
        WebhookPolicyEntity entity = entity(target, id);
        policies.delete(entity);
        events.publishEvent(new WebhookPolicyChanged(caller.name(), caller.remoteAddr(), clock.instant(), "delete", target.name(),
            entity.name));
    }

    /**
     * Checks {@code spec}'s targets for a test delivery by a project administrator of {@code project}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a bad target
     */
    public List<Receiver> receivers(Caller caller, String project, List<TargetSpec> targets) {
        manageable(caller, project);
        if (targets.isEmpty()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "targets must name at least one receiver");
        }
        return targets.stream().map(t -> new Receiver(address(t), blankToNull(t.authHeader()), t.skipCertVerify(),
            PayloadFormat.of(t.payloadFormat() == null ? "" : t.payloadFormat()))).toList();
    }

    private WebhookPolicyEntity entity(Project project, long id) {
        return policies.findByIdAndProjectId(id, project.id()).orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND,
            "project " + project.name() + " has no webhook policy " + id));
    }

    private static String name(PolicySpec spec) {
        String name = spec.name() == null ? "" : spec.name().trim();
        if (name.isEmpty() || name.length() > 255) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "a webhook policy needs a name of 1 to 255 characters");
        }
        return name;
    }

    private static void apply(WebhookPolicyEntity entity, PolicySpec spec, String name) {
        if (spec.eventTypes().isEmpty()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "event_types must name at least one event type");
        }
        if (spec.targets().isEmpty()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "targets must name at least one receiver");
        }
        Set<EventType> types = new LinkedHashSet<>();
        spec.eventTypes().forEach(t -> types.add(EventType.of(t)));
        spec.targets().forEach(WebhookPolicyService::address);
        entity.name = name;
        entity.description = blankToNull(spec.description());
        entity.eventTypes = types.stream().map(Enum::name).collect(Collectors.joining(","));
        entity.enabled = spec.enabled();
    }

    private List<TargetColumns> targets(long policyId, List<TargetSpec> specs, List<TargetColumns> stored) {
        List<TargetColumns> targets = new ArrayList<>();
        for (TargetSpec spec : specs) {
            URI address = address(spec);
            String auth = spec.authHeader();
            String encrypted;
            if (auth == null || auth.equals(WebhookTarget.MASK)) {
                encrypted = stored.stream().filter(s -> s.address.equals(address.toString())).map(s -> s.authHeader)
                    .filter(a -> a != null).findFirst().orElse(null);
            } else {
                encrypted = auth.isBlank() ? null : subscriptions.encrypt(policyId, auth);
            }
            targets.add(new TargetColumns("http", address.toString(), encrypted, spec.skipCertVerify(),
                PayloadFormat.of(spec.payloadFormat() == null ? "" : spec.payloadFormat()).harborName()));
        }
        return targets;
    }

    /**
     * The target's address.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} unless the type is {@code http} (or absent) and the
     *         address an absolute http(s) URL without credentials or fragment
     */
    private static URI address(TargetSpec target) {
        String type = target.type() == null || target.type().isBlank() ? "http" : target.type().trim().toLowerCase(Locale.ROOT);
        if (!type.equals("http")) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "target type " + target.type()
                + " is not supported; Wharf sends webhooks of type http only");
        }
        String address = target.address() == null ? "" : target.address().trim();
        URI uri;
        try {
            uri = URI.create(address);
        } catch (IllegalArgumentException e) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "not a URL: " + address);
        }
        if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
            || uri.getHost() == null || uri.getUserInfo() != null || uri.getFragment() != null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT,
                "a target address is http(s)://host[:port][/path][?query], without credentials or fragment: " + address);
        }
        return uri;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
