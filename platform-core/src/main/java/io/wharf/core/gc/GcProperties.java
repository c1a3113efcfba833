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
}
