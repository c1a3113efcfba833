/** Content digests: parsing, validation and computation. */
@NullMarked
package io.wharf.core.registry.digest;

import org.jspecify.annotations.NullMarked;
