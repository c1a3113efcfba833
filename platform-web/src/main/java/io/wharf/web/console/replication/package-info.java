/**
 * The replication pages of the console, for system administrators: registry endpoints (add, edit,
 * test connection, delete), policies (create and edit with their filters, run now, enable and
 * disable, delete) and executions (progress, stop, tasks and their logs).
 */
@NullMarked
package io.wharf.web.console.replication;

import org.jspecify.annotations.NullMarked;
