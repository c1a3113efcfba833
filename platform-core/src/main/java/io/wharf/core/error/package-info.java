/** The platform's error codes and the exception that carries them. */
@NullMarked
package io.wharf.core.error;

import org.jspecify.annotations.NullMarked;
