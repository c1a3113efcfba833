/** Quartz helpers shared by the modules that schedule jobs running once across nodes: Harbor's cron dialect, clustered triggers. */
@NullMarked
package io.wharf.core.schedule;

import org.jspecify.annotations.NullMarked;
