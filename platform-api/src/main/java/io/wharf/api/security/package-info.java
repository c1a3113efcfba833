/**
 * Authentication and authorization of requests: Docker token auth and Basic on {@code /v2}, Basic on
 * {@code /api}. Decisions are core's {@link io.wharf.core.iam.AccessPolicy}'s; this package reads
 * credentials, checks tokens and answers with challenges.
 */
@NullMarked
package io.wharf.api.security;

import org.jspecify.annotations.NullMarked;
