package io.wharf.api.system;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /metrics}: every meter of this node in the Prometheus text format (0.0.4), for
 * Prometheus to scrape each node directly. Who may read it is the security chain's decision
 * ({@code wharf.metrics.token}); the meters are listed in the README ("Operating Wharf"). Answers
 * 404 when no Prometheus registry is configured (a build without the actuator).
 */
@RestController
class MetricsController {

    static final MediaType PROMETHEUS_TEXT = MediaType.parseMediaType("text/plain;version=0.0.4;charset=utf-8");

    private final ObjectProvider<PrometheusMeterRegistry> prometheus;

    MetricsController(ObjectProvider<PrometheusMeterRegistry> prometheus) {
        this.prometheus = prometheus;
    }

    @GetMapping("/metrics")
    ResponseEntity<String> scrape() {
        PrometheusMeterRegistry registry = prometheus.getIfAvailable();
        if (registry == null) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok().contentType(PROMETHEUS_TEXT).body(registry.scrape());
    }
}
