package io.wharf.core.tagrule;

/** What a client asks an immutable tag rule to be; the selectors are checked ({@link Selector#tag}). */
public record ImmutableTagRuleSpec(int priority, boolean disabled, Selector tags, Selector repositories) {
}
