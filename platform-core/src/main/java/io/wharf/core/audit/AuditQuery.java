package io.wharf.core.audit;

import io.wharf.core.TextMatch;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * Which audit entries to list, Harbor's {@code q} filters: every criterion must hold.
 *
 * @param operation    the operation ({@code create}, {@code delete}, {@code push}, {@code pull}...)
 * @param resourceType the kind of resource ({@code artifact}, {@code project}, {@code member}...)
 * @param resource     the resource's name
 * @param username     who did it
 * @param from         entries at or after this time; null for no lower bound
 * @param to           entries at or before this time; null for no upper bound
 * @param oldestFirst  oldest entries first; by default the newest come first (Harbor's {@code op_time} descending)
 */
public record AuditQuery(TextMatch operation, TextMatch resourceType, TextMatch resource, TextMatch username,
                         @Nullable OffsetDateTime from, @Nullable OffsetDateTime to, boolean oldestFirst) {

    /** Every entry, newest first. */
    public static final AuditQuery ALL = new AuditQuery(TextMatch.ANY, TextMatch.ANY, TextMatch.ANY, TextMatch.ANY, null, null,
        false);
}
