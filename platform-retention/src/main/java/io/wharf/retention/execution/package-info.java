/**
 * Runs of retention policies: executions with one task and log per repository, the evaluation of the
 * rules, and the runner that deletes through core (or, in a dry run, only logs).
 */
@NullMarked
package io.wharf.retention.execution;

import org.jspecify.annotations.NullMarked;
