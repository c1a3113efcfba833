package io.wharf.replication.engine;

import io.wharf.core.registry.ArtifactDeleted;
import io.wharf.core.registry.ArtifactPushed;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.TagDeleted;
import io.wharf.replication.execution.ExecutionStore;
import io.wharf.replication.policy.ReplicationPolicy;
import io.wharf.replication.policy.ReplicationPolicyService;
import io.wharf.replication.policy.TriggerType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import java.util.List;

/**
 * Event-based push policies: a committed local push of a tag starts an execution of one task that
 * pushes it; with {@code replicate_deletion}, a deleted tag or manifest is deleted at the destination
 * too. Pushes by digest only (the children of an index) travel with their index.
 */
@Component
class EventTrigger {

    private final ReplicationPolicyService policies;
    private final ExecutionStore executions;

    EventTrigger(ReplicationPolicyService policies, ExecutionStore executions) {
        this.policies = policies;
        this.executions = executions;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ArtifactPushed pushed) {
        if (pushed.tag() != null) {
            start(pushed.repository(), pushed.tag(), "copy", false);
        }
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(TagDeleted deleted) {
        start(deleted.repository(), deleted.tag(), "deletion", true);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ArtifactDeleted deleted) {
        start(deleted.repository(), deleted.digest().toString(), "deletion", true);
    }

    private void start(RepositoryName repository, String reference, String operation, boolean deletion) {
        for (ReplicationPolicy policy : policies.enabled(TriggerType.EVENT_BASED)) {
            if (policy.pulls() || (deletion && !policy.spec().replicateDeletion()) || !policy.acceptsRepository(repository.value())
                || (!reference.startsWith("sha256:") && !policy.acceptsTag(reference))) {
                continue;
            }
            executions.createPlanned(policy.id(), TriggerType.EVENT_BASED, List.of(new ExecutionStore.Planned(operation,
                repository.value(), policy.destination(repository.value()), reference)));
        }
    }
}
