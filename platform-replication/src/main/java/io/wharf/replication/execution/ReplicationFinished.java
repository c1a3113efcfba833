package io.wharf.replication.execution;

import io.wharf.core.event.ReplicationOutcome;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * An execution ended ({@code Succeed}, {@code Failed} or {@code Stopped}); published once, when its
 * end is committed. Webhooks (through core's {@link ReplicationOutcome}) and the audit log listen.
 *
 * @param policyName        the policy's name, the audit log's resource
 * @param localRepositories the local repositories the execution wrote (pull) or read (push)
 */
public record ReplicationFinished(Instant occurredAt, long executionId, long policyId, String policyName,
                                  ExecutionStatus status, String summary,
                                  List<String> localRepositories) implements ReplicationOutcome {

    @Override
    public @Nullable String actor() {
        return "replication";
    }

    @Override
    public @Nullable String remoteAddr() {
        return null;
    }

    @Override
    public String jobStatus() {
        return status.id();
    }

    @Override
    public String operation() {
        return "replicate";
    }

    @Override
    public String resourceType() {
        return "replication_policy";
    }

    @Override
    public String resource() {
        return policyName;
    }

    @Override
    public boolean success() {
        return status == ExecutionStatus.SUCCEED;
    }

    @Override
    public @Nullable String detail() {
        return "execution " + executionId + ": " + status.id() + ", " + summary;
    }
}
