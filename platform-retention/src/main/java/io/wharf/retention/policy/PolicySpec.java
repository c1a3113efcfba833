package io.wharf.retention.policy;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * What a client asks a policy to be: its checked rules and, for a {@code Schedule} trigger, Harbor's cron
 * (null or empty: manual only). The project comes from the policy's {@code scope}.
 */
public record PolicySpec(String projectRef, List<RetentionRule> rules, @Nullable String cron) {
}
