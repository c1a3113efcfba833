package io.wharf.core.tagrule;

import io.wharf.core.event.DomainEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** An immutable tag rule was created, changed or deleted ({@code operation}); the audit log records it. */
public record ImmutableTagRuleChanged(@Nullable String actor, @Nullable String remoteAddr, Instant occurredAt, String operation,
                                      String project, long ruleId, String rule) implements DomainEvent {

    @Override
    public String resourceType() {
        return "immutable_tag_rule";
    }

    @Override
    public String resource() {
        return project + ":" + ruleId;
    }

    @Override
    public String detail() {
        return rule;
    }
}
