package io.wharf.scanner.client;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * What an adapter says of itself ({@code GET /api/v1/metadata}).
 *
 * @param scanner      the scanner's name, vendor and version
 * @param capabilities what it scans and which reports it produces
 * @param properties   free-form properties ({@code harbor.scanner-adapter/...}), never null
 */
public record AdapterMetadata(Scanner scanner, List<Capability> capabilities, Map<String, String> properties) {

    /** The vulnerability report of spec 1.1 (Harbor's own type). */
    public static final String VULNERABILITY_REPORT = "application/vnd.security.vulnerability.report; version=1.1";
    /** The older raw vulnerability report of spec 1.0. */
    public static final String VULNERABILITY_REPORT_V10 = "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0";
    /** The SBOM report, offered with the {@code sbom} capability (spec 1.2). */
    public static final String SBOM_REPORT = "application/vnd.security.sbom.report+json; version=1.0";

    public AdapterMetadata {
        capabilities = List.copyOf(capabilities);
        properties = Map.copyOf(properties);
    }

    /** The scanner behind the adapter. */
    public record Scanner(String name, String vendor, String version) {
    }

    /**
     * One capability.
     *
     * @param type                 {@code vulnerability} or {@code sbom} (spec 1.2); null when the adapter
     *                             predates types, which means {@code vulnerability}
     * @param consumesMimeTypes    the artifact media types it scans
     * @param producesMimeTypes    the report media types it writes
     */
    public record Capability(@Nullable String type, List<String> consumesMimeTypes, List<String> producesMimeTypes) {

        public Capability {
            consumesMimeTypes = List.copyOf(consumesMimeTypes);
            producesMimeTypes = List.copyOf(producesMimeTypes);
        }
    }

    /** Whether some capability produces {@code reportMimeType} (compared without spaces, case-insensitively). */
    public boolean produces(String reportMimeType) {
        String wanted = normalize(reportMimeType);
        return capabilities.stream().flatMap(c -> c.producesMimeTypes().stream()).map(AdapterMetadata::normalize)
            .anyMatch(wanted::equals);
    }

    /** Whether the adapter offers SBOMs (a capability of type {@code sbom}). */
    public boolean offersSbom() {
        return capabilities.stream().anyMatch(c -> "sbom".equals(c.type()));
    }

    static String normalize(String mimeType) {
        return mimeType.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }
}
