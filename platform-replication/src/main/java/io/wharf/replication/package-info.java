/**
 * Replication: remote registry endpoints, the upstream registry client, replication policies and
 * their executions, run manually, by Quartz on a cron schedule, or on local push events.
 *
 * <p>This module depends on core only. It writes into Wharf through core's use cases
 * ({@code BlobUploadService}, {@code RegistryService}) as the system caller, so every copied blob
 * is digest-verified by the same streaming ingest as a client push, and it learns of local pushes
 * and deletes from core's events. The API and the console expose it. The design is in
 * {@code docs/replication.md}.
 */
@NullMarked
package io.wharf.replication;

import org.jspecify.annotations.NullMarked;
