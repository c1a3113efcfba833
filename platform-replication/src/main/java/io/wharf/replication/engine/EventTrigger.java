package io.wharf.replication.engine;

import io.wharf.core.registry.ArtifactDeleted;
import io.wharf.core.registry.ArtifactPushed;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.TagDeleted;
import io.wharf.replication.execution.ExecutionStore;
import io.wharf.replication.policy.ReplicationPolicy;
import io.wharf.replication.policy.ReplicationPolicyService;
import io.wharf.replication.policy.TriggerType;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.List;

/**
 * Event-based push policies: a committed local push of a tag starts an execution of one task that
 * pushes it; with {@code replicate_deletion}, a deleted tag or manifest is deleted at the destination
 * too. Pushes by digest only (the children of an index) travel with their index.
 *
 * <p>The matching policies are read in the push's own transaction (one query, no transaction of its
 * own); executions are created only once that transaction has committed, in a transaction of their
 * own, so a push that rolls back replicates nothing.
 */
@Component
class EventTrigger {

    private final ReplicationPolicyService policies;
    private final ExecutionStore executions;

    EventTrigger(ReplicationPolicyService policies, ExecutionStore executions) {
        this.policies = policies;
        this.executions = executions;
    }

    @EventListener
    void on(ArtifactPushed pushed) {
        if (pushed.tag() != null) {
            start(pushed.repository(), pushed.tag(), "copy", false);
        }
    }

    @EventListener
    void on(TagDeleted deleted) {
        start(deleted.repository(), deleted.tag(), "deletion", true);
    }

    @EventListener
    void on(ArtifactDeleted deleted) {
        start(deleted.repository(), deleted.digest().toString(), "deletion", true);
    }

    private void start(RepositoryName repository, String reference, String operation, boolean deletion) {
        List<ReplicationPolicy> matching = policies.enabled(TriggerType.EVENT_BASED).stream()
            .filter(policy -> !policy.pulls() && (!deletion || policy.spec().replicateDeletion())
                && policy.acceptsRepository(repository.value())
                && (reference.startsWith("sha256:") || policy.acceptsTag(reference)))
            .toList();
        if (matching.isEmpty()) {
            return;
        }
        Runnable create = () -> matching.forEach(policy -> executions.createPlanned(policy.id(), TriggerType.EVENT_BASED,
            List.of(new ExecutionStore.Planned(operation, repository.value(), policy.destination(repository.value()), reference))));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    create.run();
                }
            });
        } else {
            create.run();
        }
    }
}
