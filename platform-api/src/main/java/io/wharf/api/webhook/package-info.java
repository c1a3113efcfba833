/**
 * Harbor's project webhook API: {@code /api/v2.0/projects/{p}/webhook/policies} (policies, their
 * executions, tasks and logs, the test delivery) and {@code /webhook/events}, in Harbor's JSON shapes.
 */
@NullMarked
package io.wharf.api.webhook;

import org.jspecify.annotations.NullMarked;
