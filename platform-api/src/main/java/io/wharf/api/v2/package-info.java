/**
 * The OCI distribution API on {@code /v2}. {@link io.wharf.api.v2.V2RouteFilter} parses each path
 * into a {@link io.wharf.api.v2.V2Route}; the controllers translate HTTP to core use cases and back.
 */
@NullMarked
package io.wharf.api.v2;

import org.jspecify.annotations.NullMarked;
