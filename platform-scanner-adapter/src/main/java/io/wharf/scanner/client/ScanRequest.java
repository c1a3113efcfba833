package io.wharf.scanner.client;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * What Wharf asks an adapter to scan ({@code POST /api/v1/scan}).
 *
 * @param registryUrl           where the adapter pulls from (Wharf as the scanner reaches it)
 * @param registryAuthorization the {@code Authorization} header value the adapter pulls with
 * @param repository            the repository name, e.g. {@code team/app}
 * @param digest                the manifest digest
 * @param tag                   a tag of the artifact, or null
 * @param mimeType              the manifest's media type
 * @param enabledCapabilities   the capabilities to run (spec 1.2); empty leaves it to the adapter
 */
public record ScanRequest(String registryUrl, String registryAuthorization, String repository, String digest,
                          @Nullable String tag, String mimeType, List<EnabledCapability> enabledCapabilities) {

    public ScanRequest {
        enabledCapabilities = List.copyOf(enabledCapabilities);
    }

    /**
     * A capability to run, the reports wanted from it and its parameters (spec 1.2: the SBOM's
     * {@code sbom_media_types}); no parameters for the vulnerability capability.
     */
    public record EnabledCapability(String type, List<String> producesMimeTypes, Map<String, Object> parameters) {

        public EnabledCapability {
            producesMimeTypes = List.copyOf(producesMimeTypes);
            parameters = Map.copyOf(parameters);
        }

        public EnabledCapability(String type, List<String> producesMimeTypes) {
            this(type, producesMimeTypes, Map.of());
        }
    }

    @Override
    public String toString() {
        return "ScanRequest[" + repository + "@" + digest + "]"; // never the authorization
    }
}
