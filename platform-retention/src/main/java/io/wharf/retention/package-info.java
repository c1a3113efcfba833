/**
 * Tag retention: a project's policy of rules that say which artifacts to keep ({@code policy}), its runs
 * with one task and log per repository ({@code execution}), and the Quartz jobs that run them
 * ({@code schedule}). Depends on core only; deletes through core's registry use case.
 */
@NullMarked
package io.wharf.retention;

import org.jspecify.annotations.NullMarked;
