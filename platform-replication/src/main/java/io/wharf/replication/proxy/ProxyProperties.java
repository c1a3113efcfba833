package io.wharf.replication.proxy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code wharf.proxy.*}: proxy-cache projects.
 *
 * @param tagTtl how long a cached tag is served without asking the upstream (by HEAD) whether it moved;
 *               0 asks on every pull
 */
@ConfigurationProperties("wharf.proxy")
public record ProxyProperties(@DefaultValue("1m") Duration tagTtl) {
}
