/** A project's webhooks in the console: its policies, the latest deliveries, a form to add one and a test button. */
@NullMarked
package io.wharf.web.console.webhook;

import org.jspecify.annotations.NullMarked;
