/**
 * Harbor's replication API: {@code /registries}, {@code /replication/adapters},
 * {@code /replication/policies} and {@code /replication/executions}, translated to the replication
 * module's use cases.
 */
@NullMarked
package io.wharf.api.replication;

import org.jspecify.annotations.NullMarked;
