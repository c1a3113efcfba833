/** Turning events into queued deliveries, sending them from any node with leases and retries, and their log. */
@NullMarked
package io.wharf.webhook.delivery;

import org.jspecify.annotations.NullMarked;
