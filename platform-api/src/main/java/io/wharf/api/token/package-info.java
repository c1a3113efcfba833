/** The Docker token endpoint, {@code /service/token}. */
@NullMarked
package io.wharf.api.token;

import org.jspecify.annotations.NullMarked;
