/** The filesystem storage driver (the default). */
@NullMarked
package io.wharf.core.storage.driver.filesystem;

import org.jspecify.annotations.NullMarked;
