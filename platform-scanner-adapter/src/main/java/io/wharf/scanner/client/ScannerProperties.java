package io.wharf.scanner.client;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How Wharf talks to scanner adapters ({@code wharf.scanner.*}).
 *
 * @param connectTimeout      how long to wait for a connection to an adapter
 * @param requestTimeout      how long one request may take, from sending to the end of the response
 * @param maxReportSize       the largest report accepted; a larger one is a failed report
 * @param defaultRefreshAfter when to ask again for a report that is not ready and whose
 *                            {@code Refresh-After} is absent or unreadable
 */
@ConfigurationProperties("wharf.scanner")
@Validated
public record ScannerProperties(@DefaultValue("5s") Duration connectTimeout,
                                @DefaultValue("30s") Duration requestTimeout,
                                @DefaultValue("32MB") DataSize maxReportSize,
                                @DefaultValue("10s") Duration defaultRefreshAfter) {

    /** The defaults, for tests and tools that build clients without Spring. */
    public static ScannerProperties defaults() {
        return new ScannerProperties(Duration.ofSeconds(5), Duration.ofSeconds(30), DataSize.ofMegabytes(32),
            Duration.ofSeconds(10));
    }
}
