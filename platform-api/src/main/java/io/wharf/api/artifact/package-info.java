/**
 * {@code /api/v2.0} repositories and artifacts, shaped like Harbor's: HTTP in, core use cases
 * ({@link io.wharf.core.artifact}) and JSON records out; no access rules here.
 */
@NullMarked
package io.wharf.api.artifact;

import org.jspecify.annotations.NullMarked;
