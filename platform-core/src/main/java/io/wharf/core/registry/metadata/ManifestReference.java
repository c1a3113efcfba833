package io.wharf.core.registry.metadata;

import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

/**
 * One thing a stored manifest refers to, as indexed: its config, a layer, or (for an index) a child
 * manifest.
 *
 * @param manifestId the referring manifest
 * @param position   the order within the manifest (config first, then layers or children)
 * @param kind       {@code CONFIG}, {@code LAYER} or {@code MANIFEST}
 * @param platform   {@code os/architecture[/variant]} for index children that name one, else null
 */
public record ManifestReference(long manifestId, int position, String kind, Digest digest, String mediaType, long size,
                                @Nullable String platform) {

    /** The kind of a config reference. */
    public static final String CONFIG = "CONFIG";
    /** The kind of a layer reference. */
    public static final String LAYER = "LAYER";
    /** The kind of an index child. */
    public static final String MANIFEST = "MANIFEST";
}
