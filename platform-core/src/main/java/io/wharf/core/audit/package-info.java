/** The audit log. */
@NullMarked
package io.wharf.core.audit;

import org.jspecify.annotations.NullMarked;
