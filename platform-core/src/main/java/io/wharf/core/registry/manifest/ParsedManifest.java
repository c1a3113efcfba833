package io.wharf.core.registry.manifest;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * What Wharf indexes of a manifest: enough to check its references, list it, and answer referrers.
 *
 * @param mediaType    the manifest's media type
 * @param config       the config descriptor (image manifests), else null
 * @param layers       the layer descriptors (image manifests), else empty
 * @param manifests    the child manifests (indexes), else empty
 * @param subject      the subject descriptor, when the manifest refers to another one
 * @param artifactType the artifact type a referrers response reports: the {@code artifactType} field,
 *                     or for image manifests without one the config's media type
 * @param annotations  the manifest's annotations
 */
public record ParsedManifest(String mediaType, @Nullable Descriptor config, List<Descriptor> layers,
                             List<Descriptor> manifests, @Nullable Descriptor subject,
                             @Nullable String artifactType, Map<String, String> annotations) {

    /** Whether this is an index (OCI image index or Docker manifest list). */
    public boolean isIndex() {
        return MediaTypes.INDEXES.contains(mediaType);
    }
}
