package io.wharf.replication.execution;

/**
 * An execution was created and waits for a node to run it; published in the creating transaction,
 * acted on once it commits (the scheduler hands it to Quartz, so any node may take it).
 */
public record ExecutionRequested(long executionId) {
}
