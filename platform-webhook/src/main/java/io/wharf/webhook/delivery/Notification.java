package io.wharf.webhook.delivery;

import io.wharf.core.iam.Project;
import io.wharf.webhook.policy.EventType;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;

/**
 * One event to tell a project's webhooks about, before it is put in a payload format.
 *
 * @param eventData Harbor's {@code event_data} object (the CloudEvents {@code data})
 */
record Notification(EventType type, Instant occurredAt, @Nullable String operator, Project project, Map<String, Object> eventData) {
}
