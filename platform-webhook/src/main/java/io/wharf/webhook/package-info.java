/**
 * Project webhooks: policies that say which receivers hear of which events of a project, and the
 * deliveries, queued in the database and sent by any node with retries.
 *
 * <p>This module depends on core only and reacts to core's events; the API and the console expose
 * it. The design is in {@code docs/webhooks.md}.
 */
@NullMarked
package io.wharf.webhook;

import org.jspecify.annotations.NullMarked;
