/** Storage drivers: the byte-moving layer under the blob, manifest and upload stores. */
@NullMarked
package io.wharf.core.storage.driver;

import org.jspecify.annotations.NullMarked;
