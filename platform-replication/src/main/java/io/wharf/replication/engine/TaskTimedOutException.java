package io.wharf.replication.engine;

/** Thrown inside a copy whose attempt ran past {@code wharf.replication.task-timeout}; the attempt fails. */
class TaskTimedOutException extends RuntimeException {

    TaskTimedOutException() {
        super("the task ran out of time (wharf.replication.task-timeout)");
    }
}
