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
     * message when it sent one, else a short plain-text body or {@code HTTP <status>}.
     *
     * @param adapterError whether the message is the adapter's own: its error body
     *                     {@code {"error":{"message":…}}} (harbor-scanner-trivy sends it as
     *                     {@code application/vnd.scanner.adapter.error; version=1.0}, the spec as
     *                     {@code …error+json})
     */
    record Failed(int status, String message, boolean adapterError) implements ScanReport {
    }
}
