package io.wharf.scanner.client;

import org.jspecify.annotations.Nullable;

import java.util.List;

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

    /** A capability to run and the reports wanted from it. */
    public record EnabledCapability(String type, List<String> producesMimeTypes) {

        public EnabledCapability {
            producesMimeTypes = List.copyOf(producesMimeTypes);
        }
    }

    @Override
    public String toString() {
        return "ScanRequest[" + repository + "@" + digest + "]"; // never the authorization
    }
}
