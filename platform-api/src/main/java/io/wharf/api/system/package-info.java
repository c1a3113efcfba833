/** {@code /api/v2.0} about Wharf itself: ping, health, system information, statistics; the OpenAPI document. */
@NullMarked
package io.wharf.api.system;

import org.jspecify.annotations.NullMarked;
