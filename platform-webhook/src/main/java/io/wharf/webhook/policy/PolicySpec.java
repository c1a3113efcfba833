package io.wharf.webhook.policy;

import org.jspecify.annotations.Nullable;

import java.util.List;

/** A webhook policy as a caller gives it; {@link WebhookPolicyService} validates it. */
public record PolicySpec(@Nullable String name, @Nullable String description, List<TargetSpec> targets,
                         List<String> eventTypes, boolean enabled) {
}
