package io.wharf.core.gc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code wharf_gc_runs_total{outcome}} (finished runs: {@code success}, {@code error}, {@code dry_run})
 * and {@code wharf_gc_freed_bytes_total} (bytes real runs removed from the store), counted by the node
 * that ran each collection. All are registered at start, so they are served before the first run.
 */
@Component
class GcMeters {

    private final Counter success;
    private final Counter error;
    private final Counter dryRun;
    private final Counter freed;

    GcMeters(ObjectProvider<MeterRegistry> meters) {
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        this.success = runs(registry, "success");
        this.error = runs(registry, "error");
        this.dryRun = runs(registry, "dry_run");
        this.freed = Counter.builder("wharf.gc.freed").baseUnit("bytes")
            .description("Bytes garbage collection removed from the store").register(registry);
    }

    private static Counter runs(MeterRegistry registry, String outcome) {
        return Counter.builder("wharf.gc.runs").tag("outcome", outcome).description("Finished garbage collections")
            .register(registry);
    }

    void finished(GcParameters parameters, GcCounts counts) {
        if (parameters.dryRun()) {
            dryRun.increment();
        } else {
            success.increment();
            freed.increment(counts.freedBytes());
        }
    }

    void failed() {
        error.increment();
    }
}
