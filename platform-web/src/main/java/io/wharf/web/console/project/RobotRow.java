package io.wharf.web.console.project;

import io.wharf.core.iam.Robot;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;
import java.util.Set;
import java.util.TreeSet;

/**
 * A project robot as the project's page lists it; never with a secret.
 *
 * @param robot   the robot
 * @param actions what it may do in the project, e.g. {@code pull, push}
 * @param expires when it expires; null for never
 */
record RobotRow(Robot robot, String actions, @Nullable OffsetDateTime expires) {

    /** The row of {@code robot}, with its actions in {@code project}. */
    static RobotRow of(Robot robot, String project) {
        Set<String> actions = new TreeSet<>(robot.permissions().getOrDefault(project, Set.of()));
        return new RobotRow(robot, String.join(", ", actions), robot.expiresAt());
    }
}
