package io.wharf.core.audit;

import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/**
 * Which audit entries to list, Harbor's {@code q} filters: every non-null criterion must hold.
 *
 * @param operation    the operation ({@code create}, {@code delete}, {@code push}, {@code pull}...)
 * @param resourceType the kind of resource ({@code artifact}, {@code project}, {@code member}...)
 * @param resource     the resource's name
 * @param username     who did it
 * @param fuzzy        which text criteria match when the value contains the given text (Harbor's
 *                     {@code k=~v}) rather than equals it ({@code k=v})
 * @param from         entries at or after this time
 * @param to           entries at or before this time
 * @param oldestFirst  oldest entries first; by default the newest come first
 */
public record AuditQuery(@Nullable String operation, @Nullable String resourceType, @Nullable String resource,
                         @Nullable String username, Fuzzy fuzzy, @Nullable OffsetDateTime from, @Nullable OffsetDateTime to,
                         boolean oldestFirst) {

    /** Which of the text criteria match by containment ({@code k=~v}). */
    public record Fuzzy(boolean operation, boolean resourceType, boolean resource, boolean username) {

        /** Every criterion matches exactly. */
        public static final Fuzzy NONE = new Fuzzy(false, false, false, false);
    }

    /** Every entry, newest first. */
    public static final AuditQuery ALL = new AuditQuery(null, null, null, null, Fuzzy.NONE, null, null, false);
}
