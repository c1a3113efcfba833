package io.wharf.scanner.client;

import java.time.Duration;

/** What {@code GET /api/v1/scan/{id}/report} answered. */
public sealed interface ScanReport {

    /**
     * The report (200).
     *
     * @param mimeType the report's media type as the adapter sent it
     * @param json     the report, at most {@link ScannerProperties#maxReportSize()} bytes
     */
    record Ready(String mimeType, String json) implements ScanReport {
    }

    /**
     * Not ready yet (302): ask again after {@code refreshAfter}, from {@code Refresh-After} or
     * {@link ScannerProperties#defaultRefreshAfter()}.
     */
    record NotReady(Duration refreshAfter) implements ScanReport {
    }

    /**
     * The scan failed or the request was refused: any other status, with the adapter's error
     * message (its {@code application/vnd.scanner.adapter.error+json} body) when it sent one.
     */
    record Failed(int status, String message) implements ScanReport {
    }
}
