package io.wharf.replication.execution;

import java.util.Arrays;
import java.util.Optional;

/** The states of an execution, spelled as Harbor's API spells them. */
public enum ExecutionStatus {
    IN_PROGRESS("InProgress"), SUCCEED("Succeed"), FAILED("Failed"), STOPPED("Stopped");

    private final String id;

    ExecutionStatus(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The status spelled {@code id}, if any. */
    public static Optional<ExecutionStatus> find(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
