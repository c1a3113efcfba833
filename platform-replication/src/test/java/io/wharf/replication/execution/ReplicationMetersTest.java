package io.wharf.replication.execution;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Replication outcomes as counters: every final status exists at zero from the start, each end counts once under its status. */
class ReplicationMetersTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ReplicationMeters meters = new ReplicationMeters(
        new StaticListableBeanFactory(Map.of("meterRegistry", registry)).getBeanProvider(MeterRegistry.class));

    @Test
    void countsFinishedExecutionsByFinalStatus() {
        assertThat(count("succeed")).isZero();
        assertThat(count("failed")).isZero();
        assertThat(count("stopped")).isZero();
        assertThat(registry.find("wharf.replication.executions").tag("status", "in_progress").counter()).isNull();

        meters.on(finished(1, ExecutionStatus.SUCCEED));
        meters.on(finished(2, ExecutionStatus.FAILED));
        meters.on(finished(3, ExecutionStatus.SUCCEED));

        assertThat(count("succeed")).isEqualTo(2);
        assertThat(count("failed")).isEqualTo(1);
        assertThat(count("stopped")).isZero();
    }

    private double count(String status) {
        return registry.get("wharf.replication.executions").tag("status", status).counter().count();
    }

    private static ReplicationFinished finished(long execution, ExecutionStatus status) {
        return new ReplicationFinished(Instant.EPOCH, execution, 7, "nightly", status, "1 of 1", java.util.List.of());
    }
}
