package io.wharf.webhook.delivery;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * One event for one policy (Harbor's webhook execution).
 *
 * @param status {@code Running} while a task is pending or being sent, else {@code Error} when a task
 *               gave up, {@code Stopped} when one was not sent, {@code Success} when all were delivered
 */
public record WebhookExecution(long id, long policyId, String eventType, String status, OffsetDateTime startTime,
                               @Nullable OffsetDateTime endTime) {
}
