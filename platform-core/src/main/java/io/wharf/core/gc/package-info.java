/**
 * Online garbage collection (docs/gc.md): the collector, its runs and history, its schedule on the
 * clustered Quartz scheduler, and its meters.
 */
@NullMarked
package io.wharf.core.gc;

import org.jspecify.annotations.NullMarked;
