/** Retention policies: Harbor's templates, rules and selectors, checked and stored, with Harbor's permissions. */
@NullMarked
package io.wharf.retention.policy;

import org.jspecify.annotations.NullMarked;
