package io.wharf.core.gc;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code wharf.gc.*}: garbage collection (docs/gc.md).
 *
 * @param gracePeriod what was used (pushed, uploaded, mounted, linked, tagged) more recently than this
 *                    is never collected, nor a store object first seen without a row more recently
 * @param batchSize   blobs deleted per transaction and per multi-object delete of the store
 * @param runTimeout  a run that has not reported progress for this long is taken for dead (its node
 *                    stopped): another run may start
 */
@ConfigurationProperties("wharf.gc")
public record GcProperties(
        @DefaultValue("1h") Duration gracePeriod,
        @DefaultValue("500") int batchSize,
        @DefaultValue("1h") Duration runTimeout) {

    /**
     * How young a mark may be and still not be renewed by a use: a quarter of the grace period. Every
     * use therefore leaves a mark younger than that, and a collection keeps whatever was marked within
     * the grace period, so a push whose transaction lasts less than three quarters of the grace period
     * is safe without writing (and locking) the hot rows of popular base layers on every push.
     */
    public Duration markFreshness() {
        return gracePeriod.dividedBy(4);
    }
}
