/** An in-memory storage driver for unit tests of the stores. */
@NullMarked
package io.wharf.core.registry.storage.driver.inmemory;

import org.jspecify.annotations.NullMarked;
