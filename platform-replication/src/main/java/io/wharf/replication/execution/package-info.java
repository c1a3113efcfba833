/**
 * Executions of replication policies and their tasks (one per artifact), shared by all nodes in
 * the database: who started them, their progress, stop requests, and a readable log per task.
 */
@NullMarked
package io.wharf.replication.execution;

import org.jspecify.annotations.NullMarked;
