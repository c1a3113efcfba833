package io.wharf.replication.execution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import java.util.Locale;

/**
 * Replication outcomes as a Micrometer counter of this node: {@code wharf.replication.executions}
 * by {@code status} ({@code succeed}, {@code failed}, {@code stopped}), counted once per finished
 * execution when its final state is committed ({@link ReplicationFinished}), on the node that
 * finished it.
 */
@Component
class ReplicationMeters {

    private final MeterRegistry registry;

    ReplicationMeters(ObjectProvider<MeterRegistry> meters) {
        this.registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        // every final status from the start, at zero, so that rates see the first one
        for (ExecutionStatus status : ExecutionStatus.values()) {
            if (status != ExecutionStatus.IN_PROGRESS) {
                counter(status);
            }
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(ReplicationFinished finished) {
        counter(finished.status()).increment();
    }

    private Counter counter(ExecutionStatus status) {
        return Counter.builder("wharf.replication.executions").description("Replication executions finished, by final status")
            .tag("status", status.name().toLowerCase(Locale.ROOT)).register(registry);
    }
}
