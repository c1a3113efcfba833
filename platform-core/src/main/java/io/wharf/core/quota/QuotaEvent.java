package io.wharf.core.quota;

import io.wharf.core.event.DomainEvent;
import io.wharf.core.registry.RepositoryName;
import org.jspecify.annotations.Nullable;

/**
 * A push measured against its project's storage limit ({@link QuotaWarned}, {@link QuotaExceeded}): in
 * the audit log as resource type {@code quota} of the project, with the message as detail.
 */
public interface QuotaEvent extends DomainEvent {

    /** The repository pushed to. */
    RepositoryName repository();

    /** The blob or manifest pushed, or null when not known yet. */
    @Nullable String digest();

    /** The explanation, as the client, the audit log and webhooks get it. */
    String message();

    @Override
    default String resourceType() {
        return "quota";
    }

    @Override
    default String resource() {
        return repository().project();
    }

    @Override
    default String detail() {
        return message();
    }
}
