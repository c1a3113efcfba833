/**
 * Repositories and artifacts as Harbor's API shows them: listings with counts, tags and platforms,
 * the image config's attributes, copies between repositories, tag management, and pull statistics
 * recorded from {@link io.wharf.core.registry.ArtifactPulled} in batches. Deletes go through the
 * registry's own use cases, so the API and {@code /v2} delete alike.
 */
@NullMarked
package io.wharf.core.artifact;

import org.jspecify.annotations.NullMarked;
