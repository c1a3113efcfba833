/**
 * The registry's stores: content-addressed blobs, repository links, manifests, tags and upload
 * sessions. Bytes go through a {@link io.wharf.core.registry.storage.driver.StorageDriver};
 * metadata through Spring Data JPA on PostgreSQL (or the embedded database).
 */
@NullMarked
package io.wharf.core.registry.storage;

import org.jspecify.annotations.NullMarked;
