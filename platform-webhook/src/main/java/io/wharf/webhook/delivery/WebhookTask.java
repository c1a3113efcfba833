package io.wharf.webhook.delivery;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * The delivery of one execution to one target (Harbor's webhook task).
 *
 * @param status   {@code Pending} (waiting for its first or next attempt), {@code Running}, {@code Success},
 *                 {@code Error} (gave up) or {@code Stopped} (the policy was disabled)
 * @param runCount the attempts made
 */
public record WebhookTask(long id, long executionId, long policyId, String policyName, String eventType, String address,
                          String payloadFormat, String status, @Nullable String statusMessage, int runCount,
                          OffsetDateTime creationTime, OffsetDateTime updateTime, @Nullable OffsetDateTime endTime) {
}
