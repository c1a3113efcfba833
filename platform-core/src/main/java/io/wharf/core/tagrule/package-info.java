/**
 * Harbor's tag rules: the doublestar {@link io.wharf.core.tagrule.Selector selectors} that immutability
 * and retention rules share, and the project's immutable tag rules with the check every writer of
 * tags goes through ({@link io.wharf.core.tagrule.ImmutableTags}).
 */
@NullMarked
package io.wharf.core.tagrule;

import org.jspecify.annotations.NullMarked;
