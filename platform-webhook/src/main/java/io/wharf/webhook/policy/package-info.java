/** Webhook policies of a project: their targets, event types, validation, access and the subscriptions deliveries read. */
@NullMarked
package io.wharf.webhook.policy;

import org.jspecify.annotations.NullMarked;
