package io.wharf.core.quota;

import io.wharf.core.registry.RepositoryName;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A push took the project's usage from below {@code wharf.quota.warning-percent} of its limit to at or
 * above it (Harbor's {@code QUOTA_WARNING}). Published in the push's transaction, under the quota's
 * lock, so each crossing is published once whichever node took the push.
 *
 * @param digest  the blob or manifest whose push crossed the threshold
 * @param used    the bytes the project holds after the push
 * @param message the warning, for the audit log and webhooks
 */
public record QuotaWarned(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, RepositoryName repository,
                          String digest, long used, long hard, int percent, String message) implements QuotaEvent {

    @Override
    public String operation() {
        return "warning";
    }
}
