/** Manifest media types, parsing and validation. */
@NullMarked
package io.wharf.core.registry.manifest;

import org.jspecify.annotations.NullMarked;
