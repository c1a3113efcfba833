/**
 * Replication policies: what to copy (name, tag, resource and platform filters), from where to
 * where (a remote endpoint into a local project, or local repositories out to an endpoint), how
 * names are rewritten, and when (manually, on a cron schedule, or on local pushes and deletes).
 */
@NullMarked
package io.wharf.replication.policy;

import org.jspecify.annotations.NullMarked;
