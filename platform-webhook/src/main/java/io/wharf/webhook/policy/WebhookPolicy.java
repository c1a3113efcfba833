package io.wharf.webhook.policy;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;
import java.util.List;

/** A project's webhook policy as answers show it (secrets masked). */
public record WebhookPolicy(long id, long projectId, String name, @Nullable String description, List<WebhookTarget> targets,
                            List<EventType> eventTypes, boolean enabled, @Nullable String creator,
                            OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
