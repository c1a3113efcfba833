package io.wharf.replication.proxy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.jspecify.annotations.Nullable;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code wharf.proxy.*}: proxy-cache projects.
 *
 * @param tagTtl   how long a cached tag is served without asking the upstream (by HEAD) whether it moved;
 *                 0 asks on every pull
 * @param spoolDir where blobs downloading into the cache are spooled for the clients reading them as
 *                 they arrive (one file per download, deleted after); the system's temporary directory
 *                 when unset
 */
@ConfigurationProperties("wharf.proxy")
public record ProxyProperties(@DefaultValue("1m") Duration tagTtl, @Nullable Path spoolDir) {

    /** {@link #spoolDir}, or the system's temporary directory. */
    Path spoolDirectory() {
        return spoolDir != null ? spoolDir : Path.of(System.getProperty("java.io.tmpdir"), "wharf-proxy-spool");
    }
}
