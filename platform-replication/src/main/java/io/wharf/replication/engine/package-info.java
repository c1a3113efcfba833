/**
 * The replication engine: plans an execution (which repositories and tags pass the policy's
 * filters) and copies each artifact, HEAD before GET, never moving what the destination already
 * holds, writing into Wharf through core's use cases as the system caller.
 */
@NullMarked
package io.wharf.replication.engine;

import org.jspecify.annotations.NullMarked;
