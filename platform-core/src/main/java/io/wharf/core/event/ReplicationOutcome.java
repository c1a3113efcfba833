package io.wharf.core.event;

import java.util.List;

/**
 * How a replication execution ended, in core's words, so that features other than replication
 * (webhooks) can hear of it without depending on the replication module, which publishes it.
 * Published once, when the end is committed.
 */
public interface ReplicationOutcome extends DomainEvent {

    /** The execution's id in the replication module. */
    long executionId();

    /** The name of the policy that ran. */
    String policyName();

    /** Harbor's job status: {@code Succeed}, {@code Failed} or {@code Stopped}. */
    String jobStatus();

    /**
     * The local repositories ({@code project/name}) the execution wrote (a pull policy) or read (a
     * push policy); their projects are the ones told of it. Empty when nothing was planned.
     */
    List<String> localRepositories();
}
