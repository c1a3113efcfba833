package io.wharf.scanner.trigger;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The count of ended scans, {@code wharf.scanner.scans{registration,outcome}}: outcome {@code success}
 * or {@code error} when the worker ends a job, {@code stopped} when a user or scan-all stops one.
 * Nothing is counted without a meter registry.
 */
@Component
class ScanMeters {

    static final String SCANS = "wharf.scanner.scans";

    private final ObjectProvider<MeterRegistry> meters;

    ScanMeters(ObjectProvider<MeterRegistry> meters) {
        this.meters = meters;
    }

    /** Counts one scan by the registration named {@code registration} that ended with {@code outcome}. */
    void ended(String registration, String outcome) {
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            registry.counter(SCANS, "registration", registration, "outcome", outcome).increment();
        }
    }
}
