package io.wharf.retention.policy;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A project's retention policy: its rules in order (OR-ed) and, when scheduled, Harbor's cron.
 *
 * @param cron Harbor's six-field cron of a {@code Schedule} trigger; null when it runs manually only
 */
public record RetentionPolicy(long id, long projectId, List<RetentionRule> rules, @Nullable String cron, @Nullable String creator,
                              OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
