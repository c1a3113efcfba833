package io.wharf.retention.policy;

import io.wharf.core.tagrule.Selector;
import org.jspecify.annotations.Nullable;

/**
 * One rule of a policy: among the artifacts of the repositories {@code repositories} selects that carry
 * a tag {@code tags} selects (and the untagged ones when {@code untagged}), {@code template} with its
 * {@code param} says which to retain.
 *
 * @param param the template's number (count or days); null for {@link Template#ALWAYS}
 */
public record RetentionRule(boolean disabled, Template template, @Nullable Integer param, Selector tags, boolean untagged,
                            Selector repositories) {

    /** {@code latestPushedK 3 of repositories matching **, tags matching v*}, for logs. */
    public String describe() {
        return template.harborName() + (param == null ? "" : " " + param) + " of repositories " + repositories.describe()
            + ", tags " + tags.describe() + (untagged ? " and untagged artifacts" : "");
    }
}
