package io.wharf.replication.engine;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code wharf.replication.*}: how executions run.
 *
 * @param taskTimeout how long one attempt at copying one artifact may take before it fails
 */
@ConfigurationProperties("wharf.replication")
public record EngineProperties(@DefaultValue("4h") Duration taskTimeout) {
}
