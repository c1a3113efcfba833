/**
 * Quartz on the clustered JDBC job store: the cron trigger of each enabled scheduled policy, one
 * recoverable one-shot job per execution to run, and the repeating trigger of the proxy-cache expiry,
 * so that every fire runs on exactly one node and the run of a node that dies is taken over by another.
 */
@NullMarked
package io.wharf.replication.schedule;

import org.jspecify.annotations.NullMarked;
