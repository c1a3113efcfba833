/**
 * Blob storage: the content-addressed {@link io.wharf.core.storage.BlobStore} (one object per digest
 * for the whole registry, with its {@code blob} row), the storage layout ({@link io.wharf.core.storage.StoragePaths})
 * and the choice of {@link io.wharf.core.storage.driver.StorageDriver}. It knows nothing of
 * repositories, manifests or tags.
 */
@NullMarked
package io.wharf.core.storage;

import org.jspecify.annotations.NullMarked;
