package io.wharf.replication.engine;

/** Thrown inside a copy when its execution was asked to stop; the task ends as stopped. */
class StoppedException extends RuntimeException {

    StoppedException() {
        super("stopped", null, false, false);
    }
}
