/**
 * Registry endpoints: the remote registries (Docker Hub, any OCI registry, Harbor, another Wharf)
 * that policies pull from or push to, with their credentials encrypted at rest. Only system
 * administrators manage them; their secrets never leave this package in clear except to the
 * upstream client.
 */
@NullMarked
package io.wharf.replication.endpoint;

import org.jspecify.annotations.NullMarked;
