/**
 * The client of one remote registry ({@link io.wharf.replication.upstream.UpstreamClient}): the OCI
 * distribution API over {@code /v2}, the token flow of {@code WWW-Authenticate} challenges, Docker
 * Hub's listing API, rate limits, retries and resumable blob reads. It knows nothing of policies,
 * executions or the database; replication and the proxy cache both use it.
 */
@NullMarked
package io.wharf.replication.upstream;

import org.jspecify.annotations.NullMarked;
