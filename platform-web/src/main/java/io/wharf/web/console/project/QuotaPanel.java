package io.wharf.web.console.project;

import io.wharf.core.quota.Quota;
import io.wharf.web.console.Sizes;
import org.jspecify.annotations.Nullable;

/**
 * The storage quota panel of a project's page: what the project holds and its limit.
 *
 * @param id      the quota's id, for the form that changes the limit
 * @param used    the bytes the project holds, as people read them
 * @param limit   the limit as people read it, or {@code no limit}
 * @param percent the share of the limit in use (0 to 100, more when a lowered limit is below the usage), or
 *                null without a limit
 * @param hard    the limit in bytes, -1 for none (the form's current value)
 */
record QuotaPanel(long id, String used, String limit, @Nullable Long percent, long hard) {

    static QuotaPanel of(Quota quota) {
        return new QuotaPanel(quota.id(), Sizes.human(quota.used()), quota.limited() ? Sizes.human(quota.hard()) : "no limit",
            quota.limited() ? quota.used() * 100 / quota.hard() : null, quota.hard());
    }
}
