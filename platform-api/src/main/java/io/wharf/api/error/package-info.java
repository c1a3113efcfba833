/** Error mapping: exceptions to the protocol's error format. */
@NullMarked
package io.wharf.api.error;

import org.jspecify.annotations.NullMarked;
