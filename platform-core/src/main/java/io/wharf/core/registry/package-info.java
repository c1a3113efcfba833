/**
 * The OCI registry's use cases: pushing, pulling, listing and deleting blobs, manifests and tags.
 * {@link io.wharf.core.registry.RegistryService} and {@link io.wharf.core.registry.BlobUploadService}
 * are the entry points the API layer calls.
 */
@NullMarked
package io.wharf.core.registry;

import org.jspecify.annotations.NullMarked;
