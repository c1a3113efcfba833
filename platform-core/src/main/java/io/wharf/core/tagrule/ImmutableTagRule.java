package io.wharf.core.tagrule;

/**
 * An immutable tag rule of a project: a tag is immutable when a rule that is not disabled selects both
 * its repository and the tag.
 */
public record ImmutableTagRule(long id, long projectId, int priority, boolean disabled, Selector tags, Selector repositories) {

    /** Whether this rule, if enabled, makes {@code tag} of the repository at {@code path} (inside the project) immutable. */
    public boolean selects(String path, String tag) {
        return repositories.selects(path) && tags.selects(tag);
    }

    /** {@code immutable tag rule 3 (repositories matching **, tags matching v*)}. */
    public String describe() {
        return "immutable tag rule " + id + " (repositories " + repositories.describe() + ", tags " + tags.describe() + ")";
    }
}
