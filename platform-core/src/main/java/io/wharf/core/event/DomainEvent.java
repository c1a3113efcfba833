package io.wharf.core.event;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * Something that happened in Wharf, named in the past tense ({@code ArtifactPushed},
 * {@code ProjectDeleted}). Use cases publish events through Spring's
 * {@link org.springframework.context.ApplicationEventPublisher} inside their transaction; listeners
 * that must only see committed facts use {@code @TransactionalEventListener} (the audit log,
 * later replication, scanning, webhooks and statistics).
 *
 * <p>Every event says who did it and from where, when, and which resource it concerns, in the
 * words the audit log and webhooks use.
 */
public interface DomainEvent {

    /** Who did it: a user or robot name; null for anonymous callers. */
    @Nullable String actor();

    /** The address the call came from, when known. */
    @Nullable String remoteAddr();

    /** When it happened, from the injected clock. */
    Instant occurredAt();

    /** What was done: {@code create}, {@code update}, {@code delete}, {@code push}, {@code pull}, {@code login}... */
    String operation();

    /** The kind of resource: {@code artifact}, {@code tag}, {@code blob}, {@code project}, {@code member}, {@code robot}, {@code user}... */
    String resourceType();

    /** The resource, e.g. {@code team/app:1.0}, {@code team/app@sha256:…}, {@code team}, {@code team:alice}. */
    String resource();

    /** Whether the action succeeded; only logins record failures. */
    default boolean success() {
        return true;
    }

    /** Extra detail for the audit log (a role, a flag, a failure reason), or null. */
    default @Nullable String detail() {
        return null;
    }
}
