/** Project storage quotas: limits, usage computed from the registry's links, enforcement on every push path, warnings. */
@NullMarked
package io.wharf.core.quota;

import org.jspecify.annotations.NullMarked;
