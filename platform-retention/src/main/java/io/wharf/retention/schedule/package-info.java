/**
 * Quartz jobs of retention, in the clustered job store every node shares: a cron trigger per scheduled
 * policy and a one-shot, recoverable job per manual run; each fire runs on one node.
 */
@NullMarked
package io.wharf.retention.schedule;

import org.jspecify.annotations.NullMarked;
