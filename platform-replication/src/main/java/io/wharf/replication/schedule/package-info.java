/**
 * Quartz on the clustered JDBC job store: the cron trigger of each enabled scheduled policy, and one
 * recoverable one-shot job per execution to run, so that every fire runs on exactly one node and the
 * run of a node that dies is taken over by another.
 */
@NullMarked
package io.wharf.replication.schedule;

import org.jspecify.annotations.NullMarked;
