/** {@code /api/v2.0/quotas}: project storage quotas in Harbor's shape. */
@NullMarked
package io.wharf.api.quota;

import org.jspecify.annotations.NullMarked;
