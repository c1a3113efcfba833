package io.wharf.webhook.policy;

import io.wharf.core.crypto.SecretCipher;
import io.wharf.core.iam.Project;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;

/**
 * Which enabled policies of a project want an event, for the deliveries, read from the database each
 * time (nothing is cached per node, so every node sees a policy change at once).
 */
@Component
public class Subscriptions {

    private final WebhookPolicyRepository policies;
    private final SecretCipher cipher;

    Subscriptions(WebhookPolicyRepository policies, SecretCipher cipher) {
        this.policies = policies;
        this.cipher = cipher;
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

    private static String purpose(long policyId) {
        return "webhook-policy:" + policyId;
    }
}
