/** An in-memory storage driver for unit tests of the stores. */
@NullMarked
package io.wharf.core.storage.driver.inmemory;

import org.jspecify.annotations.NullMarked;
