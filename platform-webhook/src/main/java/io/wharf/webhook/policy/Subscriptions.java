package io.wharf.webhook.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.wharf.core.crypto.SecretCipher;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.webhook.WebhookProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which enabled policies of a project want an event, for the deliveries. {@link #wants} is the cheap
 * question asked on every pull: its answer is cached per project for {@code wharf.webhook.subscription-ttl}
 * and forgotten at once on the node where a policy changes, so another node sees a new or changed
 * policy within that time.
 */
@Component
public class Subscriptions {

    private final WebhookPolicyRepository policies;
    private final ProjectService projects;
    private final SecretCipher cipher;
    private final Cache<String, Set<EventType>> wanted;

    Subscriptions(WebhookPolicyRepository policies, ProjectService projects, SecretCipher cipher, WebhookProperties properties) {
        this.policies = policies;
        this.projects = projects;
        this.cipher = cipher;
        this.wanted = Caffeine.newBuilder().expireAfterWrite(properties.subscriptionTtl()).maximumSize(10_000).build();
    }

    /**
     * A receiver of a policy as stored.
     *
     * @param authHeader the SecretCipher form of the {@code Authorization} value, or null
     */
    public record StoredTarget(String address, @Nullable String authHeader, boolean skipCertVerify, PayloadFormat format) {
    }

    /** An enabled policy that wants an event, with its receivers. */
    public record Subscriber(long policyId, long projectId, String policyName, List<StoredTarget> targets) {
    }

    /** Whether an enabled policy of project {@code project} (a name) wants {@code type}; cached (see the class). */
    public boolean wants(String project, EventType type) {
        return wanted.get(project, name -> {
            Set<EventType> types = EnumSet.noneOf(EventType.class);
            projects.find(name).ifPresent(p -> policies.findByProjectIdOrderById(p.id()).stream().filter(e -> e.enabled)
                .forEach(e -> types.addAll(e.eventTypes())));
            return types;
        }).contains(type);
    }

    /** The enabled policies of {@code project} that want {@code type}, read now. */
    @Transactional(readOnly = true)
    public List<Subscriber> subscribers(Project project, EventType type) {
        return policies.findByProjectIdOrderById(project.id()).stream()
            .filter(p -> p.enabled && p.eventTypes().contains(type))
            .map(p -> new Subscriber(p.id(), p.projectId, p.name, p.targets.stream()
                .map(t -> new StoredTarget(t.address, t.authHeader, t.skipCertVerify, PayloadFormat.of(t.payloadFormat)))
                .toList()))
            .toList();
    }

    /** The plain {@code Authorization} value of policy {@code policyId} stored as {@code stored}. */
    public String authHeader(long policyId, String stored) {
        return cipher.decrypt(stored, purpose(policyId));
    }

    String encrypt(long policyId, String authHeader) {
        return cipher.encrypt(authHeader, purpose(policyId));
    }

    void forget(String project) {
        wanted.invalidate(project);
    }

    private static String purpose(long policyId) {
        return "webhook-policy:" + policyId;
    }
}
