package io.wharf.core.registry.manifest;

import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * A content descriptor (OCI image spec): what a manifest says about a blob or manifest it refers to.
 *
 * @param platform    {@code os/architecture[/variant]} for index entries that name one, else null
 * @param urls        external locations (non-distributable layers); empty when none
 */
public record Descriptor(String mediaType, Digest digest, long size, @Nullable String artifactType,
                         @Nullable String platform, List<String> urls, Map<String, String> annotations) {
}
