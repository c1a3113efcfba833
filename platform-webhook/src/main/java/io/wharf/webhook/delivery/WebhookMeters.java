package io.wharf.webhook.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code wharf_webhook_deliveries_total{outcome}}: delivery attempts whose result this node recorded,
 * by what became of the task: {@code success} (delivered), {@code retry} (failed, another attempt is
 * due later: the task is {@code Pending} again), {@code error} (failed the last allowed attempt: the
 * task is {@code Error}) and {@code stopped} (not sent, the policy was disabled). An attempt whose
 * lease had run out is not counted here: the node that took the task over counts its own. All are
 * registered at start, so they are served before the first delivery.
 */
@Component
class WebhookMeters {

    private final Counter success;
    private final Counter retry;
    private final Counter error;
    private final Counter stopped;

    WebhookMeters(ObjectProvider<MeterRegistry> meters) {
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        this.success = deliveries(registry, "success");
        this.retry = deliveries(registry, "retry");
        this.error = deliveries(registry, "error");
        this.stopped = deliveries(registry, "stopped");
    }

    private static Counter deliveries(MeterRegistry registry, String outcome) {
        return Counter.builder("wharf.webhook.deliveries").tag("outcome", outcome)
            .description("Webhook delivery attempts by outcome").register(registry);
    }

    /** Counts one recorded attempt that left its task in {@code status} ({@code Success}, {@code Pending}, {@code Error}, {@code Stopped}). */
    void recorded(String status) {
        switch (status) {
            case "Success" -> success.increment();
            case "Pending" -> retry.increment();
            case "Error" -> error.increment();
            case "Stopped" -> stopped.increment();
            default -> throw new IllegalArgumentException("not a delivery status: " + status);
        }
    }
}
