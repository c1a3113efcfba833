/** Wharf's core: the registry, its storage and metadata, and the settings every module shares. */
@NullMarked
package io.wharf.core;

import org.jspecify.annotations.NullMarked;
