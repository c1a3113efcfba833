package io.wharf.replication.proxy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.jspecify.annotations.Nullable;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code wharf.proxy.*}: proxy-cache projects.
 *
 * @param tagTtl         how long a cached tag is served without asking the upstream (by HEAD) whether it moved;
 *                       0 asks on every pull
 * @param spoolDir       where blobs downloading into the cache are spooled for the clients reading them as
 *                       they arrive (one file per download, deleted after); the system's temporary directory
 *                       when unset
 * @param expireAfter    a cached manifest nobody pulled for this long is deleted with its tags, unless an index
 *                       or a referrer keeps it ({@link ProxyExpiry}); positive, 7 days (Harbor's default)
 * @param expiryInterval how often the expiry runs (once across all nodes); positive, 1 hour
 * @throws IllegalArgumentException when {@code expireAfter} or {@code expiryInterval} is not positive
 */
@ConfigurationProperties("wharf.proxy")
public record ProxyProperties(@DefaultValue("1m") Duration tagTtl, @Nullable Path spoolDir,
                              @DefaultValue("7d") Duration expireAfter, @DefaultValue("1h") Duration expiryInterval) {

    public ProxyProperties {
        requirePositive("wharf.proxy.expire-after", expireAfter);
        requirePositive("wharf.proxy.expiry-interval", expiryInterval);
    }

    /** {@link #spoolDir}, or the system's temporary directory. */
    Path spoolDirectory() {
        return spoolDir != null ? spoolDir : Path.of(System.getProperty("java.io.tmpdir"), "wharf-proxy-spool");
    }

    private static void requirePositive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, not " + value);
        }
    }
}
