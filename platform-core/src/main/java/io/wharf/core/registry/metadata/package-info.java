/**
 * Registry metadata in the database: repositories, the blob links that let a repository serve a
 * blob, manifests with their parsed references, tags, and upload sessions. Bytes are the
 * {@link io.wharf.core.storage} package's business.
 */
@NullMarked
package io.wharf.core.registry.metadata;

import org.jspecify.annotations.NullMarked;
