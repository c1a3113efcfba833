package io.wharf.replication.execution;

import java.util.Arrays;
import java.util.Optional;

/**
 * The states of a task, as Harbor spells them, plus {@code Skipped} for an artifact already at the
 * destination (nothing copied, nothing counted against the upstream's pull budget).
 */
public enum TaskStatus {
    PENDING("Pending"), IN_PROGRESS("InProgress"), SUCCEED("Succeed"), SKIPPED("Skipped"), FAILED("Failed"),
    STOPPED("Stopped");

    private final String id;

    TaskStatus(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Whether the task is over. */
    public boolean finished() {
        return this != PENDING && this != IN_PROGRESS;
    }

    /** The status spelled {@code id}, if any. */
    public static Optional<TaskStatus> find(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
