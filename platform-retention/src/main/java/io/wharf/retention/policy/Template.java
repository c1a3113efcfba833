package io.wharf.retention.policy;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;

/**
 * Harbor's retention rule templates that Wharf runs: what a rule retains among the artifacts it
 * selects. Each but {@link #ALWAYS} takes one integer parameter, keyed by the template's own name in
 * the rule's {@code params} ({@code {"latestPushedK": 10}}).
 */
public enum Template {
    LATEST_PUSHED_K("latestPushedK", "the most recently pushed # artifacts", "COUNT"),
    LATEST_PULLED_N("latestPulledN", "the most recently pulled # artifacts", "COUNT"),
    N_DAYS_SINCE_LAST_PUSH("nDaysSinceLastPush", "pushed within the last # days", "DAYS"),
    N_DAYS_SINCE_LAST_PULL("nDaysSinceLastPull", "pulled within the last # days", "DAYS"),
    ALWAYS("always", "always", null);

    private final String harborName;
    private final String displayText;
    private final @Nullable String unit;

    Template(String harborName, String displayText, @Nullable String unit) {
        this.harborName = harborName;
        this.displayText = displayText;
        this.unit = unit;
    }

    /** Harbor's {@code rule_template} name, also the key of its parameter. */
    public String harborName() {
        return harborName;
    }

    /** Harbor's {@code display_text}. */
    public String displayText() {
        return displayText;
    }

    /** Harbor's parameter unit ({@code COUNT} or {@code DAYS}); null for {@link #ALWAYS}, which takes none. */
    public @Nullable String unit() {
        return unit;
    }

    /**
     * The template Harbor calls {@code name}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for any other name
     */
    public static Template of(@Nullable String name) {
        for (Template template : values()) {
            if (template.harborName.equals(name)) {
                return template;
            }
        }
        throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "unknown rule template: " + name);
    }
}
