package io.wharf.core.quota;

import io.wharf.core.registry.RepositoryName;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A push was refused because it would take the project over its storage limit (Harbor's
 * {@code QUOTA_EXCEED}). Published in a transaction of its own, as the push's is rolled back.
 *
 * @param digest  the blob or manifest refused, or null when an upload was refused before its digest was known
 * @param used    the bytes the project held
 * @param needed  the bytes the push would have added
 * @param message what the client was told
 */
public record QuotaExceeded(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, RepositoryName repository,
                            @Nullable String digest, long used, long hard, long needed, String message) implements QuotaEvent {

    @Override
    public String operation() {
        return "exceed";
    }

    @Override
    public boolean success() {
        return false;
    }
}
